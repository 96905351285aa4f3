// breadth_first_search on a small hand-drawn graph, every number worked out
// by hand below, including the callback order that decides ties.

#include "checker/bfs.hpp"
#include "tests/checker/toy_graph.hpp"

#include <doctest/doctest.h>

#include <map>
#include <vector>

namespace bindcheck::checker::test {
namespace {

// Nodes 0..7, initial 0. Node 6 is unreachable; 5 and 7 are terminal.
//
//   e0 0->1   e3 1->3   e6 3->0   e8 4->4
//   e1 0->2   e4 2->3   e7 3->4   e9 6->0
//   e2 0->7   e5 2->5
//
// BFS numbering: level 0 {n0}, level 1 {n1, n2, n7}, level 2 {n3, n5},
// level 3 {n4}. 7 states, 9 transitions (e0..e8), depth 3.
//
// Finding bits:
//   0  node 4 (on_state)             -> e0 e3 e7       (n3 was found via n1 first)
//   1  edge e4 (on_transition)       -> e1 e4
//   2  terminal nodes                -> e2             (n7, level 1; n5 is level 2)
//   3  edge e6                       -> e0 e3 e6
//   4  node 6 (unreachable)          -> never
//   5  edge e3 and terminal nodes    -> e2: the terminal n7 (length 1) beats e3
//                                       (length 2) although e3 is met first
//   6  node 3 and edge e5            -> e0 e3: both length 2, on_state(n3) first
//   7  node 0, the initial state     -> the empty path
constexpr FindingMask bit(unsigned b) { return FindingMask{1} << b; }

GraphModel fixed_graph()
{
    return GraphModel(8, {
                             {0, 1, 0},              // e0
                             {0, 2, 0},              // e1
                             {0, 7, 0},              // e2
                             {1, 3, bit(5)},         // e3
                             {2, 3, bit(1)},         // e4
                             {2, 5, bit(6)},         // e5
                             {3, 0, bit(3)},         // e6
                             {3, 4, 0},              // e7
                             {4, 4, 0},              // e8
                             {6, 0, 0},              // e9
                         });
}

template <class O = GraphObserver>
O fixed_observer(const GraphModel& graph, FindingMask stopping = 0)
{
    O observer;
    observer.graph = &graph;
    observer.node_bits = {bit(7), 0, 0, bit(6), bit(0), 0, bit(4), 0};
    observer.terminal_bits = bit(2) | bit(5);
    observer.stopping = stopping;
    return observer;
}

using Paths = std::map<unsigned, std::vector<std::uint32_t>>;

template <class M>
Paths paths_of(const SearchResult<M>& result)
{
    Paths paths;
    unsigned previous = 0;
    for (const Finding& finding : result.findings) {
        if (!paths.empty())
            CHECK(finding.bit > previous); // ordered by bit, one per bit
        previous = finding.bit;
        paths[finding.bit] = finding.steps;
    }
    return paths;
}

const Paths all_paths = {
    {0, {0, 3, 7}}, {1, {1, 4}}, {2, {2}}, {3, {0, 3, 6}}, {5, {2}}, {6, {0, 3}}, {7, {}},
};

TEST_CASE("bfs fixed graph: exhaustive counts, depth and shortest paths")
{
    const GraphModel graph = fixed_graph();
    auto observer = fixed_observer(graph);
    const auto result = breadth_first_search(graph, observer, {});

    CHECK(result.outcome == Outcome::Exhausted);
    CHECK(result.limit == Limit::None);
    CHECK_FALSE(result.depth_truncated);
    CHECK(result.stats.states == 7);
    CHECK(result.stats.transitions == 9);
    CHECK(result.stats.depth == 3);
    CHECK(result.stats.store_bytes > 0);
    CHECK(result.stats.peak_memory_bytes > 0);
    CHECK(paths_of(result) == all_paths);

    CHECK(observer.state_calls == 7);
    CHECK(observer.transition_calls == 9);
    CHECK(observer.terminal_calls == 2);
    CHECK(observer.states_seen.size() == 7);
    CHECK(observer.states_seen.count(6) == 0);
}

TEST_CASE("bfs fixed graph: an observer that declares its terminal findings gets the same answer")
{
    const GraphModel graph = fixed_graph();
    auto observer = fixed_observer<DeclaringGraphObserver>(graph);
    const auto result = breadth_first_search(graph, observer, {});
    CHECK(result.stats.states == 7);
    CHECK(result.stats.transitions == 9);
    CHECK(paths_of(result) == all_paths);
}

TEST_CASE("bfs paths: every store picks the lowest-numbered parent and its first step to the state")
{
    // Edges 0 and 1 store node 2 as state 1 and node 1 as state 2. Node 4
    // has three ways in from level 1: edges 4 and 5 from node 2, edge 2 from
    // node 1; node 5 two from level 2: edge 6 from node 3 (state 3), edge 7
    // from node 4 (state 4). Parent links and the stores that rebuild paths
    // by scanning levels must all answer 0, 4 and 0, 3, 6.
    const GraphModel graph(6, {{0, 2, 0}, {0, 1, 0}, {1, 4, 0}, {2, 3, 0}, {2, 4, 1}, {2, 4, 0}, {3, 5, 0}, {4, 5, 0}});
    for (StoreKind store : {StoreKind::Tree, StoreKind::Exact, StoreKind::HashCompact}) {
        CAPTURE(to_string(store));
        GraphObserver observer;
        observer.graph = &graph;
        observer.node_bits = {0, 0, 0, 0, FindingMask{1} << 3, FindingMask{1} << 5};
        SearchOptions options;
        options.store = store;
        const auto result = breadth_first_search(graph, observer, options);
        REQUIRE(result.findings.size() == 3);
        CHECK(result.findings[0].bit == 0); // edge 4's bit, on the step out of state 1
        CHECK(result.findings[0].steps == std::vector<std::uint32_t>{0, 4});
        CHECK(result.findings[1].bit == 3); // node 4
        CHECK(result.findings[1].steps == std::vector<std::uint32_t>{0, 4});
        CHECK(result.findings[2].bit == 5); // node 5
        CHECK(result.findings[2].steps == std::vector<std::uint32_t>{0, 3, 6});
    }
}

TEST_CASE("bfs fixed graph: stopping findings")
{
    const GraphModel graph = fixed_graph();

    SUBCASE("found in the initial state: nothing is expanded")
    {
        auto observer = fixed_observer(graph, bit(7));
        const auto result = breadth_first_search(graph, observer, {});
        CHECK(result.outcome == Outcome::AllFound);
        CHECK(result.stats.states == 1);
        CHECK(result.stats.transitions == 0);
        CHECK(result.stats.depth == 0);
        CHECK(paths_of(result) == Paths{{7, {}}});
    }

    SUBCASE("found mid-level: the rest of the level is still asked for terminal states")
    {
        // e4 is taken while expanding n2 (level 1); n7 comes after n2 in
        // level 1 and, being terminal, shortens bit 5 from 2 steps to 1.
        auto observer = fixed_observer(graph, bit(1));
        const auto result = breadth_first_search(graph, observer, {});
        CHECK(result.outcome == Outcome::AllFound);
        CHECK(result.stats.states == 5);      // n0 n1 n2 n7 n3
        CHECK(result.stats.transitions == 5); // e0..e4; e5 is ignored after the stop
        CHECK(observer.transition_calls == 5);
        CHECK(observer.terminal_calls == 1);  // n7, from the scan
        CHECK(paths_of(result) == Paths{{1, {1, 4}}, {2, {2}}, {5, {2}}, {6, {0, 3}}, {7, {}}});
    }

    SUBCASE("no scan when the observer says terminal states report nothing")
    {
        auto observer = fixed_observer<DeclaringGraphObserver>(graph, bit(1));
        observer.terminal_bits = 0;
        const auto result = breadth_first_search(graph, observer, {});
        CHECK(result.outcome == Outcome::AllFound);
        CHECK(observer.terminal_calls == 0);
        CHECK(paths_of(result) == Paths{{1, {1, 4}}, {5, {0, 3}}, {6, {0, 3}}, {7, {}}});
    }

    SUBCASE("several stopping bits: stops at the last one")
    {
        auto observer = fixed_observer(graph, bit(2) | bit(3));
        const auto result = breadth_first_search(graph, observer, {});
        CHECK(result.outcome == Outcome::AllFound);
        // bit 3 is e6, the first transition out of n3 in level 2.
        CHECK(result.stats.states == 6);
        CHECK(result.stats.transitions == 7);
        CHECK(paths_of(result).at(3) == std::vector<std::uint32_t>{0, 3, 6});
        CHECK(paths_of(result).at(2) == std::vector<std::uint32_t>{2});
    }

    SUBCASE("an unreachable stopping bit: the space is exhausted")
    {
        auto observer = fixed_observer(graph, bit(4) | bit(1));
        const auto result = breadth_first_search(graph, observer, {});
        CHECK(result.outcome == Outcome::Exhausted);
        CHECK(result.stats.states == 7);
        CHECK(paths_of(result) == all_paths);
    }
}

TEST_CASE("bfs fixed graph: depth limit")
{
    const GraphModel graph = fixed_graph();
    struct Case {
        std::uint64_t max_depth;
        std::uint64_t states, transitions, depth;
        bool truncated;
        Paths paths;
    };
    const Case cases[] = {
        {0, 1, 0, 0, true, {{7, {}}}},
        {1, 4, 3, 1, true, {{7, {}}}},
        {2, 6, 6, 2, true, {{1, {1, 4}}, {2, {2}}, {5, {2}}, {6, {0, 3}}, {7, {}}}},
        {3, 7, 8, 3, true, {{0, {0, 3, 7}}, {1, {1, 4}}, {2, {2}}, {3, {0, 3, 6}}, {5, {2}}, {6, {0, 3}}, {7, {}}}},
        {4, 7, 9, 3, false, all_paths},
        {1000, 7, 9, 3, false, all_paths},
    };
    for (const Case& c : cases) {
        CAPTURE(c.max_depth);
        auto observer = fixed_observer(graph);
        SearchOptions options;
        options.max_depth = c.max_depth;
        const auto result = breadth_first_search(graph, observer, options);
        CHECK(result.depth_truncated == c.truncated);
        CHECK(result.outcome == (c.truncated ? Outcome::LimitReached : Outcome::Exhausted));
        CHECK(result.limit == (c.truncated ? Limit::Depth : Limit::None));
        CHECK(result.stats.states == c.states);
        CHECK(result.stats.transitions == c.transitions);
        CHECK(result.stats.depth == c.depth);
        CHECK(paths_of(result) == c.paths);
    }
}

TEST_CASE("bfs fixed graph: state limit")
{
    const GraphModel graph = fixed_graph();
    struct Case {
        std::uint64_t max_states;
        Outcome outcome;
        std::uint64_t states, transitions;
        Paths paths;
    };
    const Case cases[] = {
        {0, Outcome::LimitReached, 0, 0, {}},
        // e0..e2 are judged, but n1 would be a second state: stop; level 0
        // has nothing left to scan.
        {1, Outcome::LimitReached, 1, 3, {{7, {}}}},
        // e6 and e7 are judged, but n4 would be a seventh state; the scan of
        // level 2 visits n5.
        {6, Outcome::LimitReached, 6, 8, {{1, {1, 4}}, {2, {2}}, {3, {0, 3, 6}}, {5, {2}}, {6, {0, 3}}, {7, {}}}},
        {7, Outcome::Exhausted, 7, 9, all_paths},
        {8, Outcome::Exhausted, 7, 9, all_paths},
    };
    for (const Case& c : cases) {
        CAPTURE(c.max_states);
        auto observer = fixed_observer(graph);
        SearchOptions options;
        options.max_states = c.max_states;
        const auto result = breadth_first_search(graph, observer, options);
        CHECK(result.outcome == c.outcome);
        CHECK(result.limit == (c.outcome == Outcome::LimitReached ? Limit::States : Limit::None));
        CHECK_FALSE(result.depth_truncated);
        CHECK(result.stats.states == c.states);
        CHECK(result.stats.transitions == c.transitions);
        CHECK(observer.state_calls == c.states);
        CHECK(paths_of(result) == c.paths);
    }
}

TEST_CASE("bfs fixed graph: time limit")
{
    const GraphModel graph = fixed_graph();
    auto observer = fixed_observer(graph);
    SearchOptions options;
    options.max_seconds = 0.0;
    const auto result = breadth_first_search(graph, observer, options);
    CHECK(result.outcome == Outcome::LimitReached);
    CHECK(result.limit == Limit::Time);
    CHECK(result.stats.states == 1);
    CHECK(result.stats.transitions == 0);
    CHECK(paths_of(result) == Paths{{7, {}}});
}

TEST_CASE("bfs: a single terminal initial state")
{
    const GraphModel graph(1, {});
    GraphObserver observer;
    observer.graph = &graph;
    observer.terminal_bits = bit(63);
    const auto result = breadth_first_search(graph, observer, {});
    CHECK(result.outcome == Outcome::Exhausted);
    CHECK(result.stats.states == 1);
    CHECK(result.stats.transitions == 0);
    CHECK(result.stats.depth == 0);
    REQUIRE(result.findings.size() == 1);
    CHECK(result.findings[0].bit == 63);
    CHECK(result.findings[0].steps.empty());
}

TEST_CASE("outcome and limit names")
{
    CHECK(to_string(Outcome::Exhausted) == "exhausted");
    CHECK(to_string(Outcome::AllFound) == "all-found");
    CHECK(to_string(Outcome::LimitReached) == "limit-reached");
    CHECK(to_string(Limit::None) == "none");
    CHECK(to_string(Limit::Depth) == "depth");
    CHECK(to_string(Limit::States) == "states");
    CHECK(to_string(Limit::Time) == "time");
}

} // namespace
} // namespace bindcheck::checker::test
