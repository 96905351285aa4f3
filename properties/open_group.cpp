// INV-5: when the framework lets go of component_mutex, no group it opened
// (DT1, DT3, DT4) is still open. V1 breaks it after every bring-up.
#include "properties/property_base.hpp"

namespace bindcheck::properties {
namespace {

class OpenGroup final : public NamedProperty {
public:
    OpenGroup()
        : NamedProperty(PropertyId::OpenGroup, "open-group", "INV-5",
                        "a framework operation returns leaving open a devres group it opened") {}

    std::optional<Violation> judge_step(const model::BindModel& m, const model::Events& events,
                                        const model::World& after) const override {
        const auto& s = m.scenario();
        for (std::size_t k = 0; k < events.size(); ++k) {
            if (events[k].kind != model::EventKind::MutexUnlock || events[k].open_framework_groups == 0) continue;
            for (std::size_t d = 0; d < after.devices.size(); ++d)
                for (const model::Node& n : after.devices[d])
                    if (n.kind == model::NodeKind::GroupOpen && n.creator != model::GroupCreator::Driver &&
                        !model::group_is_closed(after.devices[d], n.tag))
                        return Violation{static_cast<int>(k),
                                         "component_mutex is released with " + group_description(s, n) +
                                             " still open on " + device_name(s, static_cast<int>(d)) +
                                             ": later allocations there land inside it"};
        }
        return std::nullopt;
    }
};

} // namespace

std::unique_ptr<Property> make_open_group() { return std::make_unique<OpenGroup>(); }

} // namespace bindcheck::properties
