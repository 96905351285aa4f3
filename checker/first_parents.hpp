#pragma once
// Shortest paths without parent links. In a level-synchronous BFS that
// numbers states in the order it stores them, and expands and stores in
// that order too (bfs.hpp), a state of level d + 1 was first reached from
// the lowest-numbered state of level d that has it as a successor, by the
// first of that state's steps that leads to it. Scanning level d in order
// and stopping at the first hit therefore finds exactly the link a parent
// table would have kept (parent_links.hpp): the same paths, step for step.
//
// What is kept instead is a tag a state, 1 byte: the low byte of its
// parent's number. The scan expands only the states whose number ends in a
// wanted tag, 1 in 256 of a level; the others cannot be the parent. So a
// path costs little more than its own length in expansions plus a pass
// over the numbers of the levels above it, where a table of parents would
// cost 5 bytes a state (4 for the number, 1 for the step's ordinal).
// All wanted paths are rebuilt together, one scan a level.

#include "checker/model_concept.hpp"
#include "checker/visited_states.hpp"

#include <algorithm>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bindcheck::checker {

/// The low byte of each state's parent's number, in chunks that never move.
class ParentTags {
public:
    using Index = VisitedStates::Index;

    /// Makes room for one more tag; then add() cannot fail.
    void reserve_one()
    {
        if ((size_ & (chunk_tags - 1)) == 0 && (size_ >> chunk_shift) == chunks_.size())
            chunks_.push_back(std::make_unique_for_overwrite<std::uint8_t[]>(chunk_tags));
    }
    /// Adds the next state, first reached from `parent` (the root: from itself).
    void add(Index parent)
    {
        reserve_one();
        chunks_[size_ >> chunk_shift][size_ & (chunk_tags - 1)] = tag_of(parent);
        ++size_;
    }
    [[nodiscard]] std::uint8_t tag(Index state) const { return chunks_[state >> chunk_shift][state & (chunk_tags - 1)]; }
    [[nodiscard]] static std::uint8_t tag_of(Index parent) noexcept { return static_cast<std::uint8_t>(parent); }

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::size_t memory_bytes() const noexcept { return chunks_.size() * chunk_tags; }

private:
    static constexpr unsigned chunk_shift = 16;
    static constexpr std::size_t chunk_tags = std::size_t{1} << chunk_shift;

    std::vector<std::unique_ptr<std::uint8_t[]>> chunks_;
    std::size_t size_ = 0;
};

struct FirstParent {
    VisitedStates::Index parent = 0;
    std::uint32_t step_code = 0; ///< the parent's step that leads here
};

/// The first parent of every state on the paths from state 0 to `targets`.
/// level_starts[d] is the number of the first state of level d; states from
/// level_starts.back() on belong to the last level. `store` must keep states;
/// `tags` holds a tag for each of them.
template <Model M>
[[nodiscard]] std::unordered_map<VisitedStates::Index, FirstParent>
find_first_parents(const M& model, const VisitedStates& store, const ParentTags& tags,
                   std::span<const std::size_t> level_starts, std::span<const VisitedStates::Index> targets)
{
    using Index = VisitedStates::Index;
    using State = typename M::State;
    const auto level_of = [&](Index state) {
        return static_cast<std::size_t>(std::upper_bound(level_starts.begin(), level_starts.end(), state) -
                                        level_starts.begin()) -
               1;
    };
    // Level -> the states of that level whose parent is wanted.
    std::map<std::size_t, std::vector<Index>> wanted;
    for (const Index target : targets) {
        if (target != 0)
            wanted[level_of(target)].push_back(target);
    }

    std::unordered_map<Index, FirstParent> parents;
    StoredState stored;
    std::optional<State> from;
    std::vector<std::byte> successor_bytes;
    while (!wanted.empty()) {
        auto deepest = std::prev(wanted.end());
        const std::size_t level = deepest->first;
        std::vector<Index> states = std::move(deepest->second);
        wanted.erase(deepest);
        std::sort(states.begin(), states.end());
        states.erase(std::unique(states.begin(), states.end()), states.end());

        // A handful of states at most (one per finding): a list is enough.
        std::vector<std::pair<std::vector<std::byte>, Index>> unresolved;
        std::bitset<256> wanted_tags;
        for (const Index state : states) {
            store.read(state, stored);
            unresolved.emplace_back(stored.bytes, state);
            wanted_tags.set(tags.tag(state));
        }
        for (std::size_t candidate = level_starts[level - 1];
             candidate < level_starts[level] && !unresolved.empty(); ++candidate) {
            if (!wanted_tags.test(ParentTags::tag_of(static_cast<Index>(candidate))))
                continue;
            store.read(static_cast<Index>(candidate), stored);
            if constexpr (DecodesInPlace<M>) {
                if (from)
                    model.decode_into(stored.bytes, *from);
                else
                    from.emplace(model.decode(stored.bytes));
            } else {
                from.emplace(model.decode(stored.bytes));
            }
            model.for_each_successor(*from, [&](const typename M::Step& step, const State& to,
                                                const typename M::Transition&) {
                if (unresolved.empty())
                    return;
                successor_bytes.clear();
                model.encode(to, successor_bytes);
                const auto hit = std::find_if(unresolved.begin(), unresolved.end(), [&](const auto& entry) {
                    return tags.tag(entry.second) == ParentTags::tag_of(static_cast<Index>(candidate)) &&
                           entry.first == successor_bytes;
                });
                if (hit == unresolved.end())
                    return;
                const auto parent = static_cast<Index>(candidate);
                parents[hit->second] = {parent, static_cast<std::uint32_t>(model.step_code(step))};
                if (parent != 0)
                    wanted[level - 1].push_back(parent);
                unresolved.erase(hit);
                wanted_tags.reset();
                for (const auto& entry : unresolved)
                    wanted_tags.set(tags.tag(entry.second));
            });
        }
        if (!unresolved.empty())
            throw std::logic_error("find_first_parents: a stored state has no parent in the level above it");
    }
    return parents;
}

/// The step codes from state 0 to `state`, read off find_first_parents' answer.
[[nodiscard]] inline std::vector<std::uint32_t>
steps_through(const std::unordered_map<VisitedStates::Index, FirstParent>& parents, VisitedStates::Index state)
{
    std::vector<std::uint32_t> steps;
    for (; state != 0;) {
        const FirstParent& link = parents.at(state);
        steps.push_back(link.step_code);
        state = link.parent;
    }
    std::reverse(steps.begin(), steps.end());
    return steps;
}

} // namespace bindcheck::checker
