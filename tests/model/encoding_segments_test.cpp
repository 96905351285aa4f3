// BindModel::encode_segments: the same bytes as encode, cut into one segment
// per device, thread and master plus three, for every state, so that a
// tree-compressing store can share them (checker/tree_store.hpp).

#include <doctest/doctest.h>

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

} // namespace
