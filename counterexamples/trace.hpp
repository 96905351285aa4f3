#pragma once
// A counterexample as a sequence of steps with the worlds before them and
// the events they caused, rebuilt by replaying step codes from the initial
// state. Replay validates the path: a step that does not apply is reported,
// never printed as if it had happened.

#include <cstdint>
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include "model/bind_model.hpp"
#include "properties/property.hpp"

namespace bindcheck::counterexamples {

struct TraceStep {
    model::Step step;
    model::World before;
    model::Events events;
};

struct Trace {
    std::vector<TraceStep> steps;
    model::World final;
};

struct ReplayError {
    std::size_t step = 0; // 0-based index of the step that did not apply
    std::string message;
};

/// Replays `codes` (Model::step_code values) from the initial state.
[[nodiscard]] std::variant<Trace, ReplayError> replay(const model::BindModel& model,
                                                      const std::vector<std::uint32_t>& codes);

/// What a property says about a trace's end: its last step, or (for state
/// properties) its final world.
[[nodiscard]] std::optional<properties::Violation> judge_end(const model::BindModel& model, const Trace& trace,
                                                             const properties::Property& property);

} // namespace bindcheck::counterexamples
