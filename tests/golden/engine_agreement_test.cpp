// The search engine's options change how states are kept and how many
// threads expand them, never the answer: on every shipped scenario, under
// V1 and V2 at both granularities, every store (tree, exact, hash-compact)
// and 1, 2 or 3 threads give the same states, transitions, depth, verdicts
// and counterexample paths as one thread with the exact store.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "tests/support/run_check.hpp"

namespace {

using namespace bindcheck;

std::vector<std::string> shipped_scenarios() {
    std::vector<std::string> paths;
    const std::filesystem::path root(BINDCHECK_SOURCE_DIR);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "scenarios"))
        if (entry.is_regular_file() && entry.path().extension() == ".bind")
            paths.push_back(entry.path().lexically_relative(root).generic_string());
    std::sort(paths.begin(), paths.end());
    return paths;
}

checker::SearchResult<model::BindModel> search(const model::BindModel& model, checker::StoreKind store,
                                                unsigned threads) {
    std::vector<properties::PropertyId> all;
    for (const auto& p : properties::all_properties()) all.push_back(p->id());
    properties::PropertyObserver observer(model, all);
    checker::SearchOptions options;
    options.store = store;
    options.threads = threads;
    return checker::breadth_first_search(model, observer, options);
}

TEST_CASE("engine: stores and thread counts agree on the shipped scenarios") {
    const auto paths = shipped_scenarios();
    REQUIRE(!paths.empty());
    for (const std::string& path : paths) {
        model::ParseResult parsed = model::parse_scenario(testing::read_source_file(path), path);
        REQUIRE_MESSAGE(std::holds_alternative<model::Scenario>(parsed), path);
        const auto scenario = std::get<model::Scenario>(parsed);
        for (const char* variant : {"V1", "V2"}) {
            for (auto granularity : {model::Granularity::Devres, model::Granularity::Call}) {
                CAPTURE(path);
                CAPTURE(variant);
                CAPTURE(granularity == model::Granularity::Call);
                const model::BindModel model(scenario, *model::find_variant(variant), granularity);
                const auto expected = search(model, checker::StoreKind::Exact, 1);
                REQUIRE(expected.outcome != checker::Outcome::LimitReached);
                for (auto store : {checker::StoreKind::Tree, checker::StoreKind::Exact,
                                   checker::StoreKind::HashCompact}) {
                    for (unsigned threads : {1U, 2U, 3U}) {
                        CAPTURE(checker::to_string(store));
                        CAPTURE(threads);
                        const auto actual = search(model, store, threads);
                        CHECK(actual.outcome == expected.outcome);
                        CHECK(actual.stats.states == expected.stats.states);
                        CHECK(actual.stats.transitions == expected.stats.transitions);
                        CHECK(actual.stats.depth == expected.stats.depth);
                        REQUIRE(actual.findings.size() == expected.findings.size());
                        for (std::size_t i = 0; i < expected.findings.size(); ++i) {
                            CHECK(actual.findings[i].bit == expected.findings[i].bit);
                            CHECK(actual.findings[i].steps == expected.findings[i].steps);
                        }
                    }
                }
            }
        }
    }
}

} // namespace
