#pragma once
// The default rendering of traces: numbered steps, one or two lines each,
// with their devres effects, fitting an 80-column mail.

#include <string>

#include "counterexamples/trace.hpp"
#include "properties/property.hpp"

namespace bindcheck::counterexamples {

struct Counterexample {
    const properties::Property* property = nullptr;
    Trace trace;
    properties::Violation violation;
};

/// The steps of a trace; `marked_event` (index into the last step's events,
/// or -1) gets the ">>" mark.
[[nodiscard]] std::string render_steps(const model::BindModel& model, const Trace& trace, int marked_event = -1);

/// A whole counterexample: title, steps, and the property's reason with owner and initiator.
[[nodiscard]] std::string render_text(const model::BindModel& model, const Counterexample& counterexample);

/// One event in words, or "" for events a reader does not need to see.
[[nodiscard]] std::string describe_event(const model::BindModel& model, const model::Event& event);

} // namespace bindcheck::counterexamples
