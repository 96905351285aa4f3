#include "counterexamples/trace.hpp"

namespace bindcheck::counterexamples {

std::variant<Trace, ReplayError> replay(const model::BindModel& model, const std::vector<std::uint32_t>& codes) {
    Trace trace;
    model::World world = model.initial();
    for (std::size_t k = 0; k < codes.size(); ++k) {
        TraceStep step{model.step_from_code(codes[k]), world, {}};
        if (!model.apply(world, step.step, step.events))
            return ReplayError{k, "step " + std::to_string(k + 1) + " is not enabled in the state the trace reaches"};
        trace.steps.push_back(std::move(step));
    }
    trace.final = std::move(world);
    return trace;
}

std::optional<properties::Violation> judge_end(const model::BindModel& model, const Trace& trace,
                                               const properties::Property& property) {
    if (!trace.steps.empty())
        if (auto v = property.judge_step(model, trace.steps.back().events, trace.final)) return v;
    return property.judge_state(model, trace.final);
}

} // namespace bindcheck::counterexamples
