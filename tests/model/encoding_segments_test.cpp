// BindModel::encode_segments: the same bytes as encode, cut into one segment
// per device, thread and master plus three, for every state, so that a
// tree-compressing store can share them (checker/tree_store.hpp).

#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <set>

#include "tests/support/run_check.hpp"

namespace {

using namespace bindcheck;

TEST_CASE("encode_segments: same bytes as encode, a fixed number of segments") {
    const std::string path = "scenarios/drm-intel-4136.bind";
    model::ParseResult parsed = model::parse_scenario(testing::read_source_file(path), path);
    REQUIRE(std::holds_alternative<model::Scenario>(parsed));
    const auto& scenario = std::get<model::Scenario>(parsed);
    const model::BindModel m(scenario, *model::find_variant("V1"), model::Granularity::Devres);
    const std::size_t expected_segments =
        scenario.devices.size() + scenario.drivers.size() + scenario.masters.size() + 3;

    // Every reachable state (about two thousand), at most 3000, in BFS order.
    std::deque<model::World> queue{m.initial()};
    std::set<std::vector<std::byte>> seen;
    std::size_t checked = 0;
    while (!queue.empty() && checked < 3000) {
        const model::World world = queue.front();
        queue.pop_front();
        std::vector<std::byte> plain;
        m.encode(world, plain);
        if (!seen.insert(plain).second) continue;
        ++checked;
        std::vector<std::byte> cut{std::byte{0x5a}}; // bytes already there must not count
        std::vector<std::uint32_t> ends;
        m.encode_segments(world, cut, ends);
        REQUIRE(std::vector<std::byte>(cut.begin() + 1, cut.end()) == plain);
        REQUIRE(ends.size() == expected_segments);
        CHECK(ends.back() == plain.size());
        for (std::size_t k = 1; k < ends.size(); ++k) CHECK(ends[k - 1] <= ends[k]);
        CHECK(m.decode(plain) == world);
        m.for_each_successor(world, [&](const model::Step&, const model::World& next, const model::Events&) {
            queue.push_back(next);
        });
    }
    CHECK(checked > 1000);
}

// The search decodes every state into the same scratch World, and
// for_each_successor reuses per-thread scratch: neither may leak anything of
// the previous state into the next, nor may a nested exploration (a sink
// that explores again) disturb the outer one.
TEST_CASE("decode_into a used World, and nested successor exploration, give what fresh ones give") {
    const std::string path = "scenarios/drm-intel-4136-hda-i915.bind";
    model::ParseResult parsed = model::parse_scenario(testing::read_source_file(path), path);
    REQUIRE(std::holds_alternative<model::Scenario>(parsed));
    const model::BindModel m(std::get<model::Scenario>(parsed), *model::find_variant("V2"), model::Granularity::Devres);

    std::deque<std::vector<std::byte>> queue(1);
    m.encode(m.initial(), queue.front());
    std::set<std::vector<std::byte>> seen{queue.front()};
    model::World scratch;
    std::size_t checked = 0;
    std::size_t longest_list_seen = 0;
    while (!queue.empty() && checked < 2000) {
        const std::vector<std::byte> bytes = queue.front();
        queue.pop_front();
        ++checked;
        m.decode_into(bytes, scratch); // scratch still holds the previous state
        const model::World fresh = m.decode(bytes);
        REQUIRE(scratch == fresh);
        for (const auto& list : fresh.devices) longest_list_seen = std::max(longest_list_seen, list.size());

        std::vector<std::vector<std::byte>> outer;
        std::size_t nested_mismatches = 0;
        m.for_each_successor(fresh, [&](const model::Step&, const model::World& next, const model::Events&) {
            outer.emplace_back();
            m.encode(next, outer.back());
            // Explore the successor from inside the sink, then check that the
            // outer exploration's state was not touched by it.
            m.for_each_successor(next, [](const model::Step&, const model::World&, const model::Events&) {});
            std::vector<std::byte> again;
            m.encode(next, again);
            if (again != outer.back()) ++nested_mismatches;
        });
        CHECK(nested_mismatches == 0);
        std::vector<std::vector<std::byte>> plain;
        m.for_each_successor(fresh, [&](const model::Step&, const model::World& next, const model::Events&) {
            plain.emplace_back();
            m.encode(next, plain.back());
        });
        REQUIRE(outer == plain);
        for (auto& next : plain)
            if (seen.insert(next).second) queue.push_back(std::move(next));
    }
    CHECK(checked > 1000);
    CHECK(longest_list_seen >= 4); // lists grew and shrank, so reuse was exercised
}

} // namespace
