#pragma once
// Test support: the benchmark family (bench/family_generator.cpp) written
// out, so that tests do not depend on the generator binary.

#include <string>

namespace bindcheck::testing {

/// The 4136 pair grown to n components, with a second master matching the
/// same components in the same order when second_master is set.
std::string family_scenario(int n, bool second_master);

} // namespace bindcheck::testing
