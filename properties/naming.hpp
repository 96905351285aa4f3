#pragma once
// Names of model things in findings and traces: drivers, devices, resources,
// groups, kernel touch points.

#include <string>
#include <string_view>

#include "model/bind_model.hpp"

namespace bindcheck::properties {

[[nodiscard]] std::string driver_name(const model::Scenario&, int driver);
[[nodiscard]] std::string device_name(const model::Scenario&, int device);
[[nodiscard]] std::string resource_name(const model::Scenario&, int resource);
[[nodiscard]] int resource_owner(const model::Scenario&, int resource);
/// "the master group of audio (DT1)", "a group hda's driver opened", ...
[[nodiscard]] std::string group_description(const model::Scenario&, const model::Node& open_marker);
[[nodiscard]] std::string context_description(const model::Scenario&, model::Context);
[[nodiscard]] std::string_view touch_point_name(model::TouchPoint);
[[nodiscard]] std::string_view warn_description(model::WarnKind);
[[nodiscard]] std::string_view bug_description(model::BugKind);
[[nodiscard]] bool is_release_all(model::TouchPoint);
[[nodiscard]] bool is_framework_touch(model::TouchPoint);
[[nodiscard]] std::string errno_name(int value);

} // namespace bindcheck::properties
