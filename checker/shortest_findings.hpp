#pragma once
// Per finding bit, the shortest occurrence met so far. The BFS meets
// findings nearly in order of length, but not quite (see bfs.hpp), so an
// occurrence is replaced when a strictly shorter one turns up; among equal
// lengths the first stays, which keeps results deterministic.

#include "checker/model_concept.hpp"
#include "checker/search_result.hpp"
#include "checker/search_tree.hpp"

#include <array>
#include <bit>
#include <concepts>
#include <cstdint>
#include <utility>
#include <vector>

namespace bindcheck::checker {

class ShortestFindings {
public:
    /// Where a finding was met: at a state, or on a step leaving it.
    struct Occurrence {
        std::uint64_t length = 0;     ///< steps from the initial state
        SearchTree::Index state = 0;
        std::uint32_t step_code = 0;  ///< the step leaving `state`, if via_step
        bool via_step = false;
    };

    /// Notes every bit of `mask` as met at `where`, unless it is already known
    /// with a path at most as long.
    void record(FindingMask mask, const Occurrence& where)
    {
        for (; mask != 0; mask &= mask - 1) {
            const auto bit = static_cast<unsigned>(std::countr_zero(mask));
            const FindingMask bit_mask = FindingMask{1} << bit;
            if ((found_ & bit_mask) == 0 || where.length < shortest_[bit].length) {
                shortest_[bit] = where;
                found_ |= bit_mask;
            }
        }
    }

    [[nodiscard]] FindingMask found() const noexcept { return found_; }

    /// Whether every bit of `wanted` is found; false when `wanted` is empty,
    /// so that an empty stopping set never stops a search.
    [[nodiscard]] bool all_found(FindingMask wanted) const noexcept
    {
        return wanted != 0 && (found_ & wanted) == wanted;
    }

    /// Whether some found bit of `bits` has a path longer than `length`.
    [[nodiscard]] bool any_longer_than(FindingMask bits, std::uint64_t length) const noexcept
    {
        for (bits &= found_; bits != 0; bits &= bits - 1) {
            if (shortest_[static_cast<unsigned>(std::countr_zero(bits))].length > length)
                return true;
        }
        return false;
    }

    /// The states the findings were met at (or on a step leaving), by bit.
    [[nodiscard]] std::vector<SearchTree::Index> states() const
    {
        std::vector<SearchTree::Index> states;
        for (unsigned bit = 0; bit < shortest_.size(); ++bit) {
            if ((found_ >> bit) & 1)
                states.push_back(shortest_[bit].state);
        }
        return states;
    }

    /// The findings, ordered by bit, with their paths read off `tree`.
    [[nodiscard]] std::vector<Finding> to_findings(const SearchTree& tree) const
    {
        return to_findings([&tree](SearchTree::Index state) { return tree.path_to(state); });
    }

    /// The same, with path_to(state) giving the step codes from the root.
    template <class PathTo>
        requires std::invocable<PathTo&, SearchTree::Index>
    [[nodiscard]] std::vector<Finding> to_findings(PathTo&& path_to) const
    {
        std::vector<Finding> findings;
        for (unsigned bit = 0; bit < shortest_.size(); ++bit) {
            if ((found_ >> bit) & 1) {
                const Occurrence& where = shortest_[bit];
                Finding finding{bit, path_to(where.state)};
                if (where.via_step)
                    finding.steps.push_back(where.step_code);
                findings.push_back(std::move(finding));
            }
        }
        return findings;
    }

private:
    FindingMask found_ = 0;
    std::array<Occurrence, 64> shortest_{};
};

} // namespace bindcheck::checker
