#include "model/bind_model.hpp"

namespace bindcheck::model {

BindModel::BindModel(Scenario scenario, Variant variant, Granularity granularity)
    : scenario_(std::move(scenario)),
      variant_(std::move(variant)),
      programs_(build_programs(scenario_, variant_)),
      machine_{scenario_, variant_, programs_, granularity} {}

bool BindModel::apply(World& world, Step step, Events& out) const {
    if (step.thread >= world.threads.size() || !machine_.enabled(world, step.thread, step.action)) return false;
    ChoiceOracle choices{step.choices, 0};
    machine_.run(world, step.thread, step.action, choices, out);
    return true;
}

std::uint32_t BindModel::step_code(Step step) const {
    return static_cast<std::uint32_t>(step.thread) | (static_cast<std::uint32_t>(step.action) << 8) |
           (static_cast<std::uint32_t>(step.choices) << 16);
}

Step BindModel::step_from_code(std::uint32_t code) const {
    return Step{static_cast<std::uint8_t>(code & 0xff), static_cast<Action>((code >> 8) & 0xff),
                static_cast<std::uint16_t>(code >> 16)};
}

} // namespace bindcheck::model
