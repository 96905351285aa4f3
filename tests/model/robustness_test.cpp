// Whole-model robustness: random scenarios explored under every variant and
// both granularities never crash and replay every counterexample; the
// canonical encoding round-trips; model limits stop a run with ModelLimit.

#include <doctest/doctest.h>

#include <random>
#include <sstream>

#include "model/model_limit.hpp"
#include "tests/support/random_scenario.hpp"
#include "tests/support/run_check.hpp"

namespace {

using bindcheck::model::Granularity;
using bindcheck::testing::random_scenario;

} // namespace

TEST_CASE("random scenarios explore without a crash under every variant and granularity") {
    std::mt19937 rng(20261125);
    for (int round = 0; round < 25; ++round) {
        const std::string text = random_scenario(rng);
        CAPTURE(text);
        for (const char* variant : {"V0", "V1", "V2", "V4"}) {
            for (auto granularity : {Granularity::Call, Granularity::Devres}) {
                // run_check replays and re-judges every counterexample it returns.
                auto first = bindcheck::testing::run_check(text, variant, granularity, 30);
                auto again = bindcheck::testing::run_check(text, variant, granularity, 30);
                CHECK(first.states == again.states);
                CHECK(first.violated == again.violated);
            }
        }
    }
}

TEST_CASE("the canonical encoding round-trips every reachable state of the shipped scenarios") {
    for (const char* path : {"scenarios/drm-intel-4136.bind", "scenarios/bind-failure-rollback.bind"}) {
        auto parsed = bindcheck::model::parse_scenario(bindcheck::testing::read_source_file(path), path);
        REQUIRE(std::holds_alternative<bindcheck::model::Scenario>(parsed));
        bindcheck::model::BindModel model(std::get<bindcheck::model::Scenario>(parsed),
                                          *bindcheck::model::find_variant("V1"), Granularity::Devres);
        std::vector<bindcheck::model::World> frontier{model.initial()};
        std::size_t checked = 0;
        while (!frontier.empty() && checked < 20000) {
            auto world = std::move(frontier.back());
            frontier.pop_back();
            std::vector<std::byte> bytes, again;
            model.encode(world, bytes);
            model.encode(model.decode(bytes), again);
            REQUIRE(bytes == again);
            ++checked;
            if (checked < 2000)
                model.for_each_successor(world, [&](const auto&, const auto& next, const auto&) {
                    frontier.push_back(next);
                });
        }
        CHECK(checked > 100);
    }
}

TEST_CASE("a step with more than 16 choice points is a model limit, not a truncated search") {
    std::string binds;
    for (int k = 0; k < 17; ++k) binds += "may_fail ; ";
    const std::string text = "device d \"d\"\ndriver x on d {\n  probe { component_add c ; "
                             "component_master_add_with_match m match(c) }\n"
                             "  component c { bind { } }\n"
                             "  master m { bind { " + binds + "component_bind_all } }\n}\n";
    auto parsed = bindcheck::model::parse_scenario(text, "t.bind");
    REQUIRE(std::holds_alternative<bindcheck::model::Scenario>(parsed));
    bindcheck::model::BindModel model(std::get<bindcheck::model::Scenario>(parsed),
                                      *bindcheck::model::find_variant("V2"), Granularity::Call);
    auto explore = [&] {
        std::vector<bindcheck::model::World> frontier{model.initial()};
        for (int k = 0; k < 100 && !frontier.empty(); ++k) {
            auto world = std::move(frontier.back());
            frontier.pop_back();
            model.for_each_successor(world, [&](const auto&, const auto& next, const auto&) {
                frontier.push_back(next);
            });
        }
    };
    CHECK_THROWS_AS(explore(), bindcheck::model::ModelLimit);
}

TEST_CASE("more than 255 devres nodes on one device is a model limit") {
    std::string allocations;
    for (int k = 0; k < 130; ++k) allocations += "devm x ; ";
    const std::string text = "device d \"d\"\ndriver x on d {\n  probe { " + allocations + "}\n"
                             "  runtime_resume { " + allocations + "}\n}\nbound resumes = 1\n";
    auto parsed = bindcheck::model::parse_scenario(text, "t.bind");
    REQUIRE(std::holds_alternative<bindcheck::model::Scenario>(parsed));
    bindcheck::model::BindModel model(std::get<bindcheck::model::Scenario>(parsed),
                                      *bindcheck::model::find_variant("V2"), Granularity::Devres);
    auto run_to_the_end = [&] {
        bindcheck::model::World world = model.initial();
        for (bool moved = true; moved;) {
            moved = false;
            bindcheck::model::World chosen;
            model.for_each_successor(world, [&](const auto& step, const auto& next, const auto&) {
                if (!moved && step.action != bindcheck::model::Action::Remove) {
                    chosen = next;
                    moved = true;
                }
            });
            if (moved) world = chosen;
        }
    };
    CHECK_THROWS_AS(run_to_the_end(), bindcheck::model::ModelLimit);
}
