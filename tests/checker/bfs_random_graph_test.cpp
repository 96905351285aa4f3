// breadth_first_search against an independent std::map BFS on seeded random
// graphs: same state and transition counts, same depth, same shortest length
// for every finding, and every returned path replays to a real occurrence.

#include "checker/bfs.hpp"
#include "tests/checker/toy_graph.hpp"

#include <doctest/doctest.h>

#include <random>
#include <vector>

namespace bindcheck::checker::test {
namespace {

constexpr unsigned seed_count = 50;

// Bits 0-3 mark nodes, 4-7 mark edges, 8 marks terminal nodes, and bit 9 is
// reported by all three, so that shorter occurrences from a different kind
// of callback have to win.
constexpr FindingMask node_classes = 0x00f;
constexpr FindingMask edge_classes = 0x0f0;
constexpr FindingMask bit_terminal = FindingMask{1} << 8;
constexpr FindingMask bit_shared = FindingMask{1} << 9;

struct RandomGraph {
    GraphModel graph;
    std::vector<FindingMask> node_bits;
};

RandomGraph random_graph(unsigned seed)
{
    std::mt19937 random(seed);
    auto uniform = [&](std::uint32_t low, std::uint32_t high) {
        return std::uniform_int_distribution<std::uint32_t>(low, high)(random);
    };
    auto chance = [&](std::uint32_t one_in) { return uniform(1, one_in) == 1; };

    const std::uint32_t nodes = uniform(1, 2000);
    // Some graphs have many dead ends, most few, so the reachable part is
    // sometimes tiny and sometimes nearly everything.
    const std::uint32_t terminal_one_in = seed % 3 == 0 ? 5 : seed % 3 == 1 ? 20 : 200;
    std::vector<Edge> edges;
    std::vector<FindingMask> node_bits(nodes, 0);
    for (std::uint32_t from = 0; from < nodes; ++from) {
        if (chance(60))
            node_bits[from] |= FindingMask{1} << uniform(0, 3);
        if (chance(150))
            node_bits[from] |= bit_shared;
        const std::uint32_t degree = chance(terminal_one_in) ? 0 : uniform(1, 4);
        for (std::uint32_t k = 0; k < degree; ++k) {
            Edge edge{from, uniform(0, nodes - 1), 0};
            if (chance(50))
                edge.bits |= FindingMask{1} << uniform(4, 7);
            if (chance(100))
                edge.bits |= bit_shared;
            edges.push_back(edge);
        }
    }
    return {GraphModel(nodes, std::move(edges)), std::move(node_bits)};
}

template <class O>
O observer_for(const RandomGraph& g, FindingMask stopping = 0)
{
    O observer;
    observer.graph = &g.graph;
    observer.node_bits = g.node_bits;
    observer.terminal_bits = bit_terminal | bit_shared;
    observer.stopping = stopping;
    return observer;
}

/// Every finding is a real occurrence of its bit at exactly its shortest length.
template <class M>
void check_findings_shortest_and_real(const RandomGraph& g, const GraphObserver& observer,
                                      const SearchResult<M>& result, const ReferenceAnswer& expected)
{
    for (const Finding& finding : result.findings) {
        CAPTURE(finding.bit);
        REQUIRE(expected.shortest.count(finding.bit) == 1);
        CHECK(finding.steps.size() == expected.shortest.at(finding.bit));
        CHECK(path_has_finding(g.graph, observer, finding.steps, finding.bit));
    }
}

template <class O>
void check_exhaustive(unsigned seed)
{
    CAPTURE(seed);
    const RandomGraph g = random_graph(seed);
    auto observer = observer_for<O>(g);
    const ReferenceAnswer expected = reference_bfs(g.graph, observer);
    const auto result = breadth_first_search(g.graph, observer, {});

    CHECK(result.outcome == Outcome::Exhausted);
    CHECK(result.stats.states == expected.distance.size());
    CHECK(result.stats.transitions == expected.transitions);
    CHECK(result.stats.depth == expected.deepest);
    CHECK(observer.state_calls == expected.distance.size());
    CHECK(observer.transition_calls == expected.transitions);
    CHECK(observer.states_seen.size() == expected.distance.size());
    CHECK(result.findings.size() == expected.shortest.size());
    check_findings_shortest_and_real(g, observer, result, expected);
}

TEST_CASE("bfs random graphs: agrees with a reference BFS")
{
    for (unsigned seed = 1; seed <= seed_count; ++seed) {
        check_exhaustive<GraphObserver>(seed);
        check_exhaustive<DeclaringGraphObserver>(seed);
    }
}

TEST_CASE("bfs random graphs: stopping early keeps paths shortest")
{
    // Stop on each single bit, and on pairs: whatever was found by then has
    // its shortest length, and all stopping bits that are reachable are found.
    const FindingMask stopping_sets[] = {
        FindingMask{1} << 0, FindingMask{1} << 5, bit_terminal, bit_shared,
        (FindingMask{1} << 2) | (FindingMask{1} << 6), edge_classes | bit_shared, node_classes,
    };
    for (unsigned seed = 1; seed <= seed_count; ++seed) {
        const RandomGraph g = random_graph(seed);
        for (FindingMask stopping : stopping_sets) {
            CAPTURE(seed);
            CAPTURE(stopping);
            auto observer = observer_for<GraphObserver>(g, stopping);
            const ReferenceAnswer expected = reference_bfs(g.graph, observer);
            const auto result = breadth_first_search(g.graph, observer, {});

            bool all_reachable = true;
            for (unsigned bit = 0; bit < 64; ++bit) {
                if ((stopping >> bit) & 1)
                    all_reachable = all_reachable && expected.shortest.count(bit);
            }
            CHECK(result.outcome == (all_reachable ? Outcome::AllFound : Outcome::Exhausted));
            if (all_reachable) {
                FindingMask found = 0;
                for (const Finding& finding : result.findings)
                    found |= FindingMask{1} << finding.bit;
                CHECK((found & stopping) == stopping);
                CHECK(result.stats.states <= expected.distance.size());
            }
            check_findings_shortest_and_real(g, observer, result, expected);

            auto declaring = observer_for<DeclaringGraphObserver>(g, stopping);
            const auto declared = breadth_first_search(g.graph, declaring, {});
            CHECK(declared.outcome == result.outcome);
            CHECK(declared.stats.states == result.stats.states);
            check_findings_shortest_and_real(g, declaring, declared, expected);
        }
    }
}

TEST_CASE("bfs random graphs: depth limits agree with a depth-bounded reference")
{
    for (unsigned seed = 1; seed <= seed_count; ++seed) {
        const RandomGraph g = random_graph(seed);
        auto probe = observer_for<GraphObserver>(g);
        const std::uint64_t full_depth = reference_bfs(g.graph, probe).deepest;
        for (std::uint64_t max_depth : {std::uint64_t{0}, std::uint64_t{1}, full_depth / 2, full_depth,
                                        full_depth + 1}) {
            CAPTURE(seed);
            CAPTURE(max_depth);
            auto observer = observer_for<GraphObserver>(g);
            const ReferenceAnswer expected = reference_bfs(g.graph, observer, max_depth);
            SearchOptions options;
            options.max_depth = max_depth;
            const auto result = breadth_first_search(g.graph, observer, options);

            CHECK(result.depth_truncated == expected.truncated);
            CHECK(result.outcome == (expected.truncated ? Outcome::LimitReached : Outcome::Exhausted));
            CHECK(result.limit == (expected.truncated ? Limit::Depth : Limit::None));
            CHECK(result.stats.states == expected.distance.size());
            CHECK(result.stats.transitions == expected.transitions);
            CHECK(result.stats.depth == expected.deepest);
            CHECK(result.findings.size() == expected.shortest.size());
            check_findings_shortest_and_real(g, observer, result, expected);
        }
    }
}

TEST_CASE("bfs random graphs: state limits stop exactly at the limit")
{
    for (unsigned seed = 1; seed <= seed_count; ++seed) {
        const RandomGraph g = random_graph(seed);
        auto probe = observer_for<GraphObserver>(g);
        const ReferenceAnswer expected = reference_bfs(g.graph, probe);
        const std::uint64_t reachable = expected.distance.size();
        for (std::uint64_t max_states : {std::uint64_t{1}, reachable / 3, reachable - 1, reachable, reachable + 1}) {
            if (max_states == 0)
                continue;
            CAPTURE(seed);
            CAPTURE(max_states);
            auto observer = observer_for<GraphObserver>(g);
            SearchOptions options;
            options.max_states = max_states;
            const auto result = breadth_first_search(g.graph, observer, options);

            const bool cut = max_states < reachable;
            CHECK(result.outcome == (cut ? Outcome::LimitReached : Outcome::Exhausted));
            CHECK(result.limit == (cut ? Limit::States : Limit::None));
            CHECK(result.stats.states == (cut ? max_states : reachable));
            CHECK(observer.state_calls == result.stats.states);
            CHECK(observer.transition_calls == result.stats.transitions);
            check_findings_shortest_and_real(g, observer, result, expected);
        }
    }
}

TEST_CASE("bfs random graphs: deterministic")
{
    for (unsigned seed : {3u, 17u, 42u}) {
        CAPTURE(seed);
        const RandomGraph g = random_graph(seed);
        auto first_observer = observer_for<GraphObserver>(g, bit_shared);
        auto second_observer = observer_for<GraphObserver>(g, bit_shared);
        const auto first = breadth_first_search(g.graph, first_observer, {});
        const auto second = breadth_first_search(g.graph, second_observer, {});
        CHECK(first.outcome == second.outcome);
        CHECK(first.stats.states == second.stats.states);
        CHECK(first.stats.transitions == second.stats.transitions);
        REQUIRE(first.findings.size() == second.findings.size());
        for (std::size_t i = 0; i < first.findings.size(); ++i) {
            CHECK(first.findings[i].bit == second.findings[i].bit);
            CHECK(first.findings[i].steps == second.findings[i].steps);
        }
    }
}

TEST_CASE("bfs: progress is reported on a long chain, and the search still agrees")
{
    // 0 -> 1 -> ... -> n-1, plus an edge back to 0 from every node.
    constexpr std::uint32_t nodes = 100000;
    std::vector<Edge> edges;
    for (std::uint32_t n = 0; n + 1 < nodes; ++n) {
        edges.push_back({n, n + 1, 0});
        edges.push_back({n, 0, 0});
    }
    const GraphModel graph(nodes, std::move(edges));
    GraphObserver observer;
    observer.graph = &graph;
    observer.terminal_bits = bit_terminal;

    std::vector<Progress> reports;
    SearchOptions options;
    options.progress_interval_seconds = 0.0;
    options.on_progress = [&](const Progress& progress) { reports.push_back(progress); };
    const auto result = breadth_first_search(graph, observer, options);

    CHECK(result.outcome == Outcome::Exhausted);
    CHECK(result.stats.states == nodes);
    CHECK(result.stats.transitions == 2 * (nodes - 1));
    CHECK(result.stats.depth == nodes - 1);
    REQUIRE(result.findings.size() == 1);
    CHECK(result.findings[0].steps.size() == nodes - 1);
    REQUIRE(reports.size() > 10);
    for (std::size_t i = 1; i < reports.size(); ++i) {
        CHECK(reports[i].states >= reports[i - 1].states);
        CHECK(reports[i].transitions >= reports[i - 1].transitions);
        CHECK(reports[i].seconds >= reports[i - 1].seconds);
    }
    CHECK(reports.back().queue_length <= 1);
    CHECK(reports.back().memory_bytes > 0);
}

} // namespace
} // namespace bindcheck::checker::test
