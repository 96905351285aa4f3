#pragma once
// Toy models for the explorer's tests: an explicit directed graph as a Model
// (states are node numbers, steps are edge numbers) and an observer that
// reads finding bits off nodes, edges and terminal nodes. Nothing here knows
// of devres; that is the point (style.md section 3).

#include "checker/model_concept.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <span>
#include <stdexcept>
#include <vector>

namespace bindcheck::checker::test {

struct Edge {
    std::uint32_t from = 0;
    std::uint32_t to = 0;
    FindingMask bits = 0; ///< reported by on_transition when this edge is taken
};

/// A fixed graph. Successors come in edge-list order, so searches are
/// reproducible and hand-computable.
class GraphModel {
public:
    using State = std::uint32_t;      // node number
    using Step = std::uint32_t;       // edge number
    using Transition = std::uint32_t; // edge number again: what the step "did"

    GraphModel(std::uint32_t node_count, std::vector<Edge> edges, std::uint32_t initial_node = 0)
        : edges_(std::move(edges)), out_(node_count), initial_(initial_node)
    {
        for (std::uint32_t e = 0; e < edges_.size(); ++e)
            out_.at(edges_[e].from).push_back(e);
    }

    State initial() const { return initial_; }

    template <class Sink>
    void for_each_successor(State node, Sink&& sink) const
    {
        for (std::uint32_t e : out_.at(node))
            sink(e, edges_[e].to, e);
    }

    void encode(State node, std::vector<std::byte>& out) const
    {
        std::byte bytes[sizeof node];
        std::memcpy(bytes, &node, sizeof node);
        out.insert(out.end(), bytes, bytes + sizeof node);
    }

    State decode(std::span<const std::byte> bytes) const
    {
        if (bytes.size() != sizeof(State))
            throw std::logic_error("GraphModel::decode: not a node");
        State node;
        std::memcpy(&node, bytes.data(), sizeof node);
        return node;
    }

    std::uint32_t step_code(Step edge) const { return edge; }
    Step step_from_code(std::uint32_t code) const { return code; }

    const std::vector<Edge>& edges() const { return edges_; }
    const std::vector<std::uint32_t>& out_edges(std::uint32_t node) const { return out_.at(node); }
    std::uint32_t node_count() const { return static_cast<std::uint32_t>(out_.size()); }

private:
    std::vector<Edge> edges_;
    std::vector<std::vector<std::uint32_t>> out_;
    std::uint32_t initial_;
};
static_assert(Model<GraphModel>);

/// Node bits come from on_state, edge bits from on_transition, and every
/// terminal node reports terminal_bits. Also counts the callbacks.
struct GraphObserver {
    const GraphModel* graph = nullptr;
    std::vector<FindingMask> node_bits; ///< per node; may be shorter than the node count
    FindingMask terminal_bits = 0;
    FindingMask stopping = 0;

    std::uint64_t state_calls = 0;
    std::uint64_t transition_calls = 0;
    std::uint64_t terminal_calls = 0;
    std::map<std::uint32_t, int> states_seen; ///< node -> on_state calls

    FindingMask bits_of_node(std::uint32_t node) const { return node < node_bits.size() ? node_bits[node] : 0; }

    FindingMask on_transition(const std::uint32_t& from, const std::uint32_t& step, const std::uint32_t& to,
                              const std::uint32_t& transition)
    {
        ++transition_calls;
        const Edge& edge = graph->edges().at(step);
        if (edge.from != from || edge.to != to || transition != step)
            throw std::logic_error("on_transition: arguments disagree with the edge");
        return edge.bits;
    }
    FindingMask on_state(const std::uint32_t& node)
    {
        ++state_calls;
        ++states_seen[node];
        return bits_of_node(node);
    }
    FindingMask on_terminal(const std::uint32_t& node)
    {
        ++terminal_calls;
        if (!graph->out_edges(node).empty())
            throw std::logic_error("on_terminal: node has successors");
        return terminal_bits;
    }
    FindingMask stopping_findings() const { return stopping; }
};
static_assert(Observer<GraphObserver, GraphModel>);

/// The same, but telling the search which bits terminal states can report.
struct DeclaringGraphObserver : GraphObserver {
    FindingMask terminal_findings() const { return terminal_bits; }
};
static_assert(Observer<DeclaringGraphObserver, GraphModel>);
static_assert(DeclaresTerminalFindings<DeclaringGraphObserver>);
static_assert(!DeclaresTerminalFindings<GraphObserver>);

/// What an independent, obviously correct BFS says about a graph.
struct ReferenceAnswer {
    std::map<std::uint32_t, std::uint64_t> distance; ///< reachable node -> shortest distance
    std::uint64_t transitions = 0;                   ///< edges out of expanded nodes
    std::uint64_t deepest = 0;
    bool truncated = false;                          ///< nodes at max_depth exist
    std::map<unsigned, std::uint64_t> shortest;      ///< bit -> shortest finding length
};

/// Plain BFS with a std::map, sharing no code with checker/: only nodes at
/// distance < max_depth are expanded (and can be terminal).
inline ReferenceAnswer reference_bfs(const GraphModel& graph, const GraphObserver& observer,
                                     std::uint64_t max_depth = UINT64_MAX)
{
    ReferenceAnswer answer;
    auto note = [&](FindingMask bits, std::uint64_t length) {
        for (unsigned bit = 0; bit < 64; ++bit) {
            if ((bits >> bit) & 1) {
                auto [it, inserted] = answer.shortest.emplace(bit, length);
                if (!inserted && length < it->second)
                    it->second = length;
            }
        }
    };
    std::deque<std::uint32_t> queue{graph.initial()};
    answer.distance[graph.initial()] = 0;
    while (!queue.empty()) {
        const std::uint32_t node = queue.front();
        queue.pop_front();
        const std::uint64_t d = answer.distance[node];
        answer.deepest = std::max(answer.deepest, d);
        note(observer.bits_of_node(node), d);
        if (d >= max_depth) {
            answer.truncated = true;
            continue;
        }
        if (graph.out_edges(node).empty())
            note(observer.terminal_bits, d);
        for (std::uint32_t e : graph.out_edges(node)) {
            ++answer.transitions;
            note(graph.edges()[e].bits, d + 1);
            const std::uint32_t to = graph.edges()[e].to;
            if (!answer.distance.count(to)) {
                answer.distance[to] = d + 1;
                queue.push_back(to);
            }
        }
    }
    return answer;
}

/// Follows step codes from the initial node; returns the node reached and
/// whether every step was an edge out of the current node.
struct Replay {
    bool valid = true;
    std::uint32_t node = 0;
};
inline Replay replay(const GraphModel& graph, const std::vector<std::uint32_t>& steps)
{
    Replay result{true, graph.initial()};
    for (std::uint32_t code : steps) {
        if (code >= graph.edges().size() || graph.edges()[code].from != result.node)
            return {false, result.node};
        result.node = graph.edges()[code].to;
    }
    return result;
}

/// Whether following `steps` really meets `bit`: at the end node, on the
/// last edge, or at a terminal end node.
inline bool path_has_finding(const GraphModel& graph, const GraphObserver& observer,
                             const std::vector<std::uint32_t>& steps, unsigned bit)
{
    const Replay end = replay(graph, steps);
    if (!end.valid)
        return false;
    const FindingMask mask = FindingMask{1} << bit;
    if (observer.bits_of_node(end.node) & mask)
        return true;
    if (!steps.empty() && (graph.edges()[steps.back()].bits & mask))
        return true;
    return graph.out_edges(end.node).empty() && (observer.terminal_bits & mask);
}

} // namespace bindcheck::checker::test
