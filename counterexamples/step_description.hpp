#pragma once
// Words for a step, read from the world before it: where the thread is (the
// framework call and the function it is in) and what it does there.

#include <string>

#include "model/bind_model.hpp"

namespace bindcheck::counterexamples {

/// "component_del(i915_audio) > take_down_master(audio)", "snd_hda_intel probe", ...
[[nodiscard]] std::string step_location(const model::BindModel&, const model::World& before, const model::Step&);
/// "DT11 devres_release_group(hda, NULL)", "devm pcim_iomap on hda", "probe", ...;
/// "" for a whole framework call under --granularity call (the location says it).
[[nodiscard]] std::string step_action(const model::BindModel&, const model::World& before, const model::Step&);

} // namespace bindcheck::counterexamples
