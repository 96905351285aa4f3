// Every shipped scenario states its expected verdicts in its header
// ("# expect V1 devres: violates foreign-free ..." or "...: holds"); this
// test holds each scenario to them, and checks that every counterexample is
// shortest: a search bounded one step below its length finds nothing.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "tests/support/run_check.hpp"

namespace {

using bindcheck::testing::read_source_file;
using bindcheck::testing::run_check;

struct Expectation {
    std::string variant;
    bindcheck::model::Granularity granularity;
    std::set<std::string> violated;
    int line = 0;
};

std::vector<Expectation> expectations_of(const std::string& text) {
    std::vector<Expectation> out;
    std::istringstream in(text);
    int line_number = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_number;
        const std::string prefix = "# expect ";
        if (line.rfind(prefix, 0) != 0) continue;
        std::istringstream words(line.substr(prefix.size()));
        Expectation e;
        e.line = line_number;
        std::string granularity, verdict;
        words >> e.variant >> granularity >> verdict;
        REQUIRE_MESSAGE(!granularity.empty(), "line " << line_number);
        REQUIRE_MESSAGE(granularity.back() == ':', "line " << line_number << ": expected 'devres:' or 'call:'");
        granularity.pop_back();
        REQUIRE((granularity == "devres" || granularity == "call"));
        e.granularity =
            granularity == "call" ? bindcheck::model::Granularity::Call : bindcheck::model::Granularity::Devres;
        REQUIRE((verdict == "holds" || verdict == "violates"));
        for (std::string p; words >> p;) e.violated.insert(p);
        REQUIRE_MESSAGE((verdict == "holds") == e.violated.empty(), "line " << line_number);
        out.push_back(e);
    }
    return out;
}

std::vector<std::string> shipped_scenarios() {
    std::vector<std::string> paths;
    const std::filesystem::path root(BINDCHECK_SOURCE_DIR);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "scenarios"))
        if (entry.is_regular_file() && entry.path().extension() == ".bind")
            paths.push_back(entry.path().lexically_relative(root).generic_string());
    std::sort(paths.begin(), paths.end());
    return paths;
}

} // namespace

TEST_CASE("every shipped scenario meets the verdicts its header expects") {
    const auto paths = shipped_scenarios();
    REQUIRE(paths.size() >= 3);
    // Scenarios in subdirectories (scenarios/fixes, scenarios/library) count too.
    auto under = [&](const std::string& dir) {
        return std::any_of(paths.begin(), paths.end(), [&](const std::string& p) { return p.rfind(dir, 0) == 0; });
    };
    CHECK(under("scenarios/fixes/"));
    CHECK(under("scenarios/library/"));
    for (const std::string& path : paths) {
        const std::string text = read_source_file(path);
        const auto expectations = expectations_of(text);
        CHECK_MESSAGE(!expectations.empty(), path << " has no '# expect' line");
        for (const Expectation& e : expectations) {
            CAPTURE(path);
            CAPTURE(e.line);
            auto run = run_check(text, e.variant, e.granularity);
            CHECK(run.complete);
            std::string expected, actual;
            for (const auto& p : e.violated) expected += p + " ";
            for (const auto& p : run.violated_names()) actual += p + " ";
            CHECK(actual == expected);
        }
    }
}

TEST_CASE("every counterexample of the 4136 scenario is shortest") {
    const std::string text = read_source_file("scenarios/drm-intel-4136.bind");
    for (const char* variant : {"V1", "V2"}) {
        for (auto granularity : {bindcheck::model::Granularity::Devres, bindcheck::model::Granularity::Call}) {
            auto full = run_check(text, variant, granularity);
            for (const auto& [property, length] : full.violated) {
                CAPTURE(variant);
                CAPTURE(property);
                REQUIRE(length >= 1);
                auto bounded = run_check(text, variant, granularity, length - 1);
                CHECK(bounded.holds(property));
                CHECK_FALSE(bounded.complete);
                auto exact = run_check(text, variant, granularity, length);
                CHECK(exact.violated.at(property) == length);
            }
        }
    }
}
