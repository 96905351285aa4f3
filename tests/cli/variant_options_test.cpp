// --variant specs and --set on check and simulate, and `list variants`.

#include <doctest/doctest.h>

#include <sstream>

#include "tests/support/run_cli.hpp"
#include "model/variant.hpp"

namespace {

using Run = bindcheck::testing::CliRun;
using bindcheck::testing::run_bindcheck;

std::string seed() { return std::string(BINDCHECK_SOURCE_DIR) + "/scenarios/drm-intel-4136.bind"; }

// The report without its statistics lines, which hold times and memory.
std::string without_statistics(const std::string& report) {
    std::istringstream in(report);
    std::string kept;
    for (std::string line; std::getline(in, line);)
        if (line.rfind("statistics: ", 0) != 0) kept += line + "\n";
    return kept;
}

} // namespace

TEST_CASE("check --set changes the variant after --variant and the header says how") {
    const Run plain = run_bindcheck({"check", seed(), "--variant", "V1", "--granularity", "call", "--property",
                                     "foreign-free", "--no-progress"});
    CHECK(plain.code == 1);
    CHECK(plain.out.rfind("bindcheck check " + seed() + "\nvariant V1 (9e1ccb4a7700), granularity call\n\n", 0) == 0);

    const Run closed = run_bindcheck({"check", seed(), "--variant", "V1", "--set", "close_after_bind=null",
                                      "--granularity", "call", "--property", "foreign-free", "--no-progress"});
    CHECK(closed.code == 0);
    CHECK(closed.out.rfind("bindcheck check " + seed() +
                               "\nvariant V1 (9e1ccb4a7700), granularity call\n"
                               "  set close_after_bind=null instead of absent\n\n",
                           0) == 0);

    // The same variant named by a spec gives the same report.
    const Run spec = run_bindcheck({"check", seed(), "--variant", "v5.15+close_after_bind=null", "--granularity", "call",
                                    "--property", "foreign-free", "--no-progress"});
    CHECK(spec.code == 0);
    CHECK(without_statistics(spec.out) == without_statistics(closed.out));
}

TEST_CASE("several --set apply in order, and a counterexample names the changed variant") {
    const Run r = run_bindcheck({"check", seed(), "--variant", "V2", "--set", "close_after_bind=absent", "--set",
                                 "release_at_take_down=null", "--set", "release_at_take_down=master", "--granularity",
                                 "call", "--property", "foreign-free", "--no-progress"});
    CHECK(r.code == 1);
    CHECK(r.out.find("variant V2 (c87761db2100), granularity call\n  set close_after_bind=absent instead of null\n\n") !=
          std::string::npos);
    CHECK(r.out.find("release_at_take_down") == std::string::npos); // set back to V2's own value
    CHECK(r.out.find("foreign-free (INV-1) violated under V2+close_after_bind=absent, 7 steps:") != std::string::npos);
}

TEST_CASE("simulate takes --set and shows it in its header") {
    const Run r = run_bindcheck({"simulate", seed(), "--variant", "V4", "--set", "unbind_of_unbound=proceed",
                                 "--granularity", "call", "--seed", "3"});
    CHECK(r.code == 0);
    CHECK(r.out.find("variant V4 (5bcca36898aa), granularity call\n  set unbind_of_unbound=proceed instead of return\n") !=
          std::string::npos);
}

TEST_CASE("a bad --set is one line naming the valid points or values, exit code 2") {
    const Run point = run_bindcheck({"check", seed(), "--set", "close=null"});
    CHECK(point.code == 2);
    CHECK(point.err ==
          "bindcheck: error: --set close=null: unknown variation point 'close' (known: master_group_open, "
          "close_after_bind, release_on_bind_failure, release_at_take_down, release_group_on_empty_list, "
          "unbind_of_unbound)\n");
    const Run value = run_bindcheck({"simulate", seed(), "--set", "release_group_on_empty_list=quiet"});
    CHECK(value.code == 2);
    CHECK(value.err == "bindcheck: error: --set release_group_on_empty_list=quiet: unknown value 'quiet' for "
                       "release_group_on_empty_list (known: warn, silent)\n");
    const Run spec = run_bindcheck({"check", seed(), "--variant", "V2+close_after_bind"});
    CHECK(spec.code == 2);
    CHECK(spec.err.rfind("bindcheck: error: in variant 'V2+close_after_bind': expected POINT=VALUE", 0) == 0);
}

TEST_CASE("list variants gives every preset's points by their --set names, and every point's values") {
    const Run r = run_bindcheck({"list", "variants"});
    REQUIRE(r.code == 0);
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) CHECK_MESSAGE(line.size() <= 80, line);
    // Each preset's block holds every point with its value.
    for (const auto& preset : bindcheck::model::variant_presets()) {
        CAPTURE(preset.name);
        const auto begin = r.out.find("\n" + preset.name), at = begin == std::string::npos ? r.out.find(preset.name) : begin;
        REQUIRE(at != std::string::npos);
        const std::string block = r.out.substr(at, r.out.find("\nV", at + 1) - at);
        CHECK(block.find(preset.commit) != std::string::npos);
        CHECK(block.find("kernels: ") != std::string::npos);
        for (const auto& point : bindcheck::model::variation_points())
            CHECK(block.find(std::string(point.name) + "=" + std::string(bindcheck::model::variation_value(preset, point))) !=
                  std::string::npos);
    }
    CHECK(r.out.find("V1 (v5.15)  9e1ccb4a7700\n") != std::string::npos);
    CHECK(r.out.find("    master_group_open=null close_after_bind=absent release_on_bind_failure=null\n") !=
          std::string::npos);
    CHECK(r.out.find("  master_group_open            absent | null | master\n") != std::string::npos);
    CHECK(r.out.find("  release_group_on_empty_list  warn | silent\n") != std::string::npos);
    CHECK(r.out.find("  unbind_of_unbound            proceed | return\n") != std::string::npos);
}
