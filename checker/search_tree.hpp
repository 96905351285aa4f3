#pragma once
// The search tree: for every stored state, the state it was first reached
// from and the code of the step taken (4 + 4 bytes a state). Paths are
// rebuilt by walking up to the root; events are not stored at all, replay
// recomputes them (style.md section 2: a small store, a free consistency check).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace bindcheck::checker {

class SearchTree {
public:
    using Index = std::uint32_t; ///< a state number, as in StateStore

    /// Adds the root, state 0, which must be the first state added.
    void add_root()
    {
        parents_.push_back(0);
        step_codes_.push_back(0);
    }

    /// Adds the next state, first reached from `parent` by step `step_code`.
    void add(Index parent, std::uint32_t step_code)
    {
        parents_.push_back(parent);
        step_codes_.push_back(step_code);
    }

    [[nodiscard]] std::size_t size() const noexcept { return parents_.size(); }

    /// The step codes from the root to `state`, in order.
    [[nodiscard]] std::vector<std::uint32_t> path_to(Index state) const
    {
        std::vector<std::uint32_t> steps;
        for (; state != 0; state = parents_[state])
            steps.push_back(step_codes_[state]);
        std::reverse(steps.begin(), steps.end());
        return steps;
    }

    [[nodiscard]] std::size_t memory_bytes() const noexcept
    {
        return parents_.capacity() * sizeof(Index) + step_codes_.capacity() * sizeof(std::uint32_t);
    }

private:
    std::vector<Index> parents_;           // unused for the root
    std::vector<std::uint32_t> step_codes_; // unused for the root
};

} // namespace bindcheck::checker
