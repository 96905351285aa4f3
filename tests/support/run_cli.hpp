#pragma once
// Test support: run the bindcheck command line in process and keep what it
// printed, for tests of whole runs.

#include <string>
#include <vector>

namespace bindcheck::testing {

struct CliRun {
    int code = 0;
    std::string out, err;
};

/// bindcheck ARGS..., as cli::run sees them (without the program name).
CliRun run_bindcheck(const std::vector<std::string>& args);

} // namespace bindcheck::testing
