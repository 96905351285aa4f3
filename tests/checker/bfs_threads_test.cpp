// The search gives the same answer whatever the store and the thread count:
// same outcome, limit, state and transition counts, depth, and the same
// path for every finding, on seeded random graphs (small ones, and wide
// ones whose levels take several rounds of every thread) with and without
// stopping findings, state and depth limits; also with blocks and rounds
// of a state or a few, so that every thread count meets block and round
// boundaries everywhere. Also: the memory limit.

#include "checker/bfs.hpp"
#include "tests/checker/toy_graph.hpp"

#include <doctest/doctest.h>

#include <random>
#include <vector>

namespace bindcheck::checker::test {
namespace {

constexpr FindingMask bit_terminal = FindingMask{1} << 8;
constexpr FindingMask bit_shared = FindingMask{1} << 9;

struct RandomGraph {
    GraphModel graph;
    std::vector<FindingMask> node_bits;
};

RandomGraph random_graph(unsigned seed, std::uint32_t max_nodes)
{
    std::mt19937 random(seed);
    auto uniform = [&](std::uint32_t low, std::uint32_t high) {
        return std::uniform_int_distribution<std::uint32_t>(low, high)(random);
    };
    auto chance = [&](std::uint32_t one_in) { return uniform(1, one_in) == 1; };
    const std::uint32_t nodes = uniform(1, max_nodes);
    std::vector<Edge> edges;
    std::vector<FindingMask> node_bits(nodes, 0);
    for (std::uint32_t from = 0; from < nodes; ++from) {
        if (chance(400))
            node_bits[from] |= FindingMask{1} << uniform(0, 3);
        if (chance(900))
            node_bits[from] |= bit_shared;
        const std::uint32_t degree = chance(seed % 2 == 0 ? 10 : 200) ? 0 : uniform(1, 5);
        for (std::uint32_t k = 0; k < degree; ++k) {
            Edge edge{from, uniform(0, nodes - 1), 0};
            if (chance(300))
                edge.bits |= FindingMask{1} << uniform(4, 7);
            edges.push_back(edge);
        }
    }
    return {GraphModel(nodes, std::move(edges)), std::move(node_bits)};
}

GraphObserver observer_for(const RandomGraph& g, FindingMask stopping)
{
    GraphObserver observer;
    observer.graph = &g.graph;
    observer.node_bits = g.node_bits;
    observer.terminal_bits = bit_terminal | bit_shared;
    observer.stopping = stopping;
    return observer;
}

template <class M>
void check_same(const SearchResult<M>& expected, const SearchResult<M>& actual)
{
    CHECK(actual.outcome == expected.outcome);
    CHECK(actual.limit == expected.limit);
    CHECK(actual.depth_truncated == expected.depth_truncated);
    CHECK(actual.stats.states == expected.stats.states);
    CHECK(actual.stats.transitions == expected.stats.transitions);
    CHECK(actual.stats.depth == expected.stats.depth);
    REQUIRE(actual.findings.size() == expected.findings.size());
    for (std::size_t i = 0; i < expected.findings.size(); ++i) {
        CHECK(actual.findings[i].bit == expected.findings[i].bit);
        CHECK(actual.findings[i].steps == expected.findings[i].steps);
    }
}

void check_all_configurations(const RandomGraph& g, SearchOptions options, FindingMask stopping)
{
    auto reference_observer = observer_for(g, stopping);
    options.store = StoreKind::Exact;
    options.threads = 1;
    const auto expected = breadth_first_search(g.graph, reference_observer, options);
    CHECK(reference_observer.state_calls == expected.stats.states);
    for (StoreKind store : {StoreKind::Tree, StoreKind::Exact, StoreKind::HashCompact}) {
        for (unsigned threads : {1U, 2U, 3U}) {
            CAPTURE(to_string(store));
            CAPTURE(threads);
            auto observer = observer_for(g, stopping);
            options.store = store;
            options.threads = threads;
            const auto actual = breadth_first_search(g.graph, observer, options);
            CHECK(actual.stats.threads == threads);
            check_same(expected, actual);
            // One thread calls the given observer's on_state once per
            // stored state; more threads call their copies instead.
            if (threads == 1) {
                CHECK(observer.state_calls == actual.stats.states);
                for (const auto& [node, calls] : observer.states_seen)
                    CHECK(calls == 1);
            }
            for (const Finding& finding : actual.findings)
                CHECK(path_has_finding(g.graph, observer, finding.steps, finding.bit));
        }
    }
}

TEST_CASE("bfs threads and stores: the same result on random graphs")
{
    for (unsigned seed = 1; seed <= 12; ++seed) {
        CAPTURE(seed);
        const RandomGraph g = random_graph(seed, seed % 3 == 0 ? 30000 : 2000);
        check_all_configurations(g, {}, 0);
        check_all_configurations(g, {}, FindingMask{1} << 0);
        check_all_configurations(g, {}, bit_shared | (FindingMask{1} << 5));
        check_all_configurations(g, {}, bit_terminal);

        SearchOptions limited;
        limited.max_states = g.graph.node_count() / 3 + 1;
        check_all_configurations(g, limited, 0);
        SearchOptions shallow;
        shallow.max_depth = 3;
        check_all_configurations(g, shallow, 0);
    }
}

void check_tiny_rounds(const RandomGraph& g, SearchOptions options, FindingMask stopping)
{
    auto reference_observer = observer_for(g, stopping);
    options.store = StoreKind::Exact;
    options.threads = 1;
    const auto expected = breadth_first_search(g.graph, reference_observer, options);
    for (StoreKind store : {StoreKind::Tree, StoreKind::Exact, StoreKind::HashCompact}) {
        for (const auto& [block, round] : {std::pair<std::size_t, std::size_t>{1, 1}, {1, 3}, {2, 2}, {3, 7}}) {
            for (unsigned threads : {2U, 4U}) {
                CAPTURE(to_string(store));
                CAPTURE(block);
                CAPTURE(round);
                CAPTURE(threads);
                detail::ParallelTuning tuning;
                tuning.states_per_block = block;
                tuning.states_per_thread_round = round;
                auto observer = observer_for(g, stopping);
                options.store = store;
                options.threads = threads;
                check_same(expected, detail::breadth_first_search_tuned(g.graph, observer, options, tuning));
            }
        }
    }
}

TEST_CASE("bfs threads: blocks and rounds of a few states, the same result")
{
    for (unsigned seed = 1; seed <= 6; ++seed) {
        CAPTURE(seed);
        const RandomGraph g = random_graph(seed, 600);
        check_tiny_rounds(g, {}, 0);
        check_tiny_rounds(g, {}, bit_shared | (FindingMask{1} << 5));
        SearchOptions limited;
        limited.max_states = g.graph.node_count() / 4 + 1;
        check_tiny_rounds(g, limited, 0);
        SearchOptions shallow;
        shallow.max_depth = 2;
        check_tiny_rounds(g, shallow, bit_terminal);
    }
}

TEST_CASE("bfs memory limit: stops cleanly, with what was covered")
{
    // A long chain: memory grows with the states, and the limit cuts it.
    constexpr std::uint32_t nodes = 400000;
    std::vector<Edge> edges;
    for (std::uint32_t n = 0; n + 1 < nodes; ++n)
        edges.push_back({n, n + 1, 0});
    const GraphModel graph(nodes, std::move(edges));
    for (StoreKind store : {StoreKind::Tree, StoreKind::Exact, StoreKind::HashCompact}) {
        CAPTURE(to_string(store));
        GraphObserver observer;
        observer.graph = &graph;
        observer.terminal_bits = bit_terminal;
        SearchOptions options;
        options.store = store;
        options.max_memory_bytes = 4U << 20;
        const auto result = breadth_first_search(graph, observer, options);
        CHECK(result.outcome == Outcome::LimitReached);
        CHECK(result.limit == Limit::Memory);
        CHECK(result.stats.states > 1000);
        CHECK(result.stats.states < nodes);
        CHECK(result.stats.store_bytes < (4U << 20) + (2U << 20)); // stopped soon after the limit
        CHECK(result.findings.empty()); // the terminal end was never reached

        options.max_memory_bytes = 1U << 30;
        GraphObserver unlimited_observer;
        unlimited_observer.graph = &graph;
        unlimited_observer.terminal_bits = bit_terminal;
        const auto unlimited = breadth_first_search(graph, unlimited_observer, options);
        CHECK(unlimited.outcome == Outcome::Exhausted);
        CHECK(unlimited.stats.states == nodes);
        REQUIRE(unlimited.findings.size() == 1);
        CHECK(unlimited.findings[0].steps.size() == nodes - 1);
    }
}

} // namespace
} // namespace bindcheck::checker::test
