// The canonical encoding stores component_list sorted (world_encoding.cpp),
// which is exact only if no step observes the list's order. This test holds
// that claim: in every reachable state with two or more registered
// components, reversing the list changes no successor: same steps, same
// next states, same events.

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "tests/support/run_check.hpp"

namespace {

using namespace bindcheck::model;

using Successor = std::tuple<std::uint32_t, std::vector<std::byte>, std::vector<std::tuple<int, int, int, int, int, int, int>>>;

std::multiset<Successor> successors_of(const BindModel& model, const World& world) {
    std::multiset<Successor> out;
    model.for_each_successor(world, [&](const Step& step, const World& next, const Events& events) {
        std::vector<std::byte> bytes;
        model.encode(next, bytes);
        std::vector<std::tuple<int, int, int, int, int, int, int>> summary;
        for (const Event& e : events)
            summary.emplace_back(static_cast<int>(e.kind), static_cast<int>(e.touch), e.thread, e.device,
                                 e.component, e.master, e.value);
        out.emplace(model.step_code(step), std::move(bytes), std::move(summary));
    });
    return out;
}

void check_order_is_unobserved(const std::string& text, const char* variant, Granularity granularity) {
    auto parsed = parse_scenario(text, "t.bind");
    REQUIRE(std::holds_alternative<Scenario>(parsed));
    BindModel model(std::get<Scenario>(std::move(parsed)), *find_variant(variant), granularity);
    std::vector<World> frontier{model.initial()};
    std::set<std::vector<std::byte>> seen;
    std::size_t compared = 0;
    while (!frontier.empty() && seen.size() < 30000) {
        World world = std::move(frontier.back());
        frontier.pop_back();
        std::vector<std::byte> bytes;
        model.encode(world, bytes);
        if (!seen.insert(bytes).second) continue;
        if (world.component_list.size() >= 2) {
            World reversed = world;
            std::reverse(reversed.component_list.begin(), reversed.component_list.end());
            REQUIRE(successors_of(model, world) == successors_of(model, reversed));
            ++compared;
        }
        model.for_each_successor(world, [&](const Step&, const World& next, const Events&) { frontier.push_back(next); });
    }
    CHECK(compared > 10);
}

} // namespace

TEST_CASE("no step observes the order of component_list") {
    const std::string text = bindcheck::testing::read_source_file("scenarios/display-aggregate.bind");
    for (const char* variant : {"V1", "V4"})
        for (auto granularity : {Granularity::Call, Granularity::Devres}) check_order_is_unobserved(text, variant, granularity);
    // Two masters competing for the same components, one of which may be
    // added twice: find_component's choice is by identity, not by position.
    const std::string two_masters = "device p \"p\"\ndevice q \"q\"\ndevice a \"a\"\ndevice b \"b\"\n"
                                    "driver mp on p { probe { component_master_add_with_match x match(ca, cb) }\n"
                                    "  remove { component_master_del x }\n"
                                    "  master x { bind { component_bind_all } unbind { component_unbind_all } } }\n"
                                    "driver mq on q { probe { component_master_add_with_match y match(cb, ca) }\n"
                                    "  master y { bind { component_bind_all } unbind { component_unbind_all } } }\n"
                                    "driver da on a { probe { component_add ca } remove { component_del ca }\n"
                                    "  component ca { bind { devm r } unbind { } } }\n"
                                    "driver db on b { probe { component_add cb; devm s } remove { component_del cb }\n"
                                    "  component cb { bind may_fail { } unbind { } } }\n"
                                    "bound rebinds = 1\n";
    for (auto granularity : {Granularity::Call, Granularity::Devres}) check_order_is_unobserved(two_masters, "V2", granularity);
}
