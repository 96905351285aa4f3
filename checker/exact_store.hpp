#pragma once
// The plain exact store (state_store.hpp: every encoding kept whole) behind
// the VisitedStates interface, to compare the tree store against.

#include "checker/state_store.hpp"
#include "checker/visited_states.hpp"

#include <algorithm>

namespace bindcheck::checker {

class ExactStore final : public VisitedStates {
public:
    [[nodiscard]] bool keeps_states() const noexcept override { return true; }
    void read(Index index, StoredState& out) const override
    {
        const auto bytes = store_.get(index);
        out.bytes.assign(bytes.begin(), bytes.end());
        out.segment_ends.assign(1, static_cast<std::uint32_t>(bytes.size()));
        out.nodes.clear();
    }
    [[nodiscard]] Lookup look_up(const EncodedState& state, const StoredState*) const override
    {
        Lookup lookup;
        lookup.found = store_.find(state.bytes);
        return lookup;
    }
    std::pair<Index, bool> insert(const EncodedState& state, const Lookup& lookup, const StoredState*) override
    {
        if (lookup.found)
            return {*lookup.found, false};
        return store_.insert(state.bytes);
    }
    using VisitedStates::insert;
    [[nodiscard]] std::size_t size() const noexcept override { return store_.size(); }
    [[nodiscard]] std::size_t memory_bytes() const noexcept override { return store_.memory_bytes(); }

private:
    StateStore store_;
};

} // namespace bindcheck::checker
