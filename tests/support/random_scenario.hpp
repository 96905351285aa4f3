#pragma once
// Test support: random but well-formed scenarios for whole-model tests.

#include <random>
#include <string>

namespace bindcheck::testing {

/// Three devices, three drivers, one master, two components, statements
/// drawn from the whole language.
std::string random_scenario(std::mt19937& rng);

} // namespace bindcheck::testing
