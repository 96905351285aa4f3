#pragma once
// Judges every transition and state of a search with the selected
// properties, in the shape the explorer expects (checker::Observer). Bit k
// of a finding mask is PropertyId k; bit kWaitsForeverBit is information.

#include <cstdint>
#include <vector>

#include "model/bind_model.hpp"
#include "properties/property.hpp"

namespace bindcheck::properties {

inline constexpr unsigned kWaitsForeverBit = 16;

/// Whether some thread is in the middle of an activity with nothing left to run.
[[nodiscard]] bool waits_forever(const model::World& terminal);

class PropertyObserver {
public:
    PropertyObserver(const model::BindModel& model, const std::vector<PropertyId>& selected);

    std::uint64_t on_transition(const model::World& from, const model::Step& step, const model::World& to,
                                const model::Events& events);
    std::uint64_t on_state(const model::World& state);
    std::uint64_t on_terminal(const model::World& state);
    [[nodiscard]] std::uint64_t stopping_findings() const { return selected_mask_; }

private:
    const model::BindModel& model_;
    std::vector<const Property*> judges_;
    std::uint64_t selected_mask_ = 0;
    std::uint64_t reported_ = 0; // bits already reported: the explorer keeps only the first
};

} // namespace bindcheck::properties
