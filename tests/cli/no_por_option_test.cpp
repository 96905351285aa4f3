// check --no-por: the same report (verdicts, counterexamples) as with the
// reduction, which is on by default and says so on a statistics line.

#include <doctest/doctest.h>

#include <sstream>

#include "tests/support/run_cli.hpp"

namespace {

using Run = bindcheck::testing::CliRun;
using bindcheck::testing::run_bindcheck;

std::string without_statistics(const std::string& report) {
    std::istringstream in(report);
    std::string kept;
    for (std::string line; std::getline(in, line);)
        if (line.rfind("statistics: ", 0) != 0) kept += line + "\n";
    return kept;
}

} // namespace

TEST_CASE("check --no-por prints the report the reduced search prints") {
    const std::string seed = std::string(BINDCHECK_SOURCE_DIR) + "/scenarios/drm-intel-4136.bind";
    for (const char* variant : {"V1", "V2"}) {
        CAPTURE(variant);
        const Run reduced = run_bindcheck({"check", seed, "--variant", variant, "--no-progress"});
        const Run plain = run_bindcheck({"check", seed, "--variant", variant, "--no-progress", "--no-por"});
        CHECK(reduced.code == plain.code);
        CHECK(reduced.code == 1);
        CHECK(without_statistics(reduced.out) == without_statistics(plain.out));
        CHECK(reduced.out.find("\nstatistics: partial-order reduction: ") != std::string::npos);
        CHECK(plain.out.find("partial-order reduction") == std::string::npos);
    }
}
