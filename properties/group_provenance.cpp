// INV-8: a framework NULL-id lookup selects the group the same framework
// call opened. INV-15: a resource lands in a framework group only from the
// callback that group was opened for, on the thread running it. The second
// is the direct detector of the V1 open group and of the V2 completion race.
#include "properties/property_base.hpp"

namespace bindcheck::properties {
namespace {

using model::GroupCreator;
using model::TouchPoint;

struct Expected {
    GroupCreator creator;
    bool by_master;
};

std::optional<Expected> expected_group(TouchPoint t) {
    switch (t) {
    case TouchPoint::DT2:
    case TouchPoint::DT11:
    case TouchPoint::PostBindClose: return Expected{GroupCreator::DT1, true};
    case TouchPoint::DT5:
    case TouchPoint::DT7:
    case TouchPoint::DT9: return Expected{GroupCreator::DT3, false};
    case TouchPoint::DT6:
    case TouchPoint::DT8: return Expected{GroupCreator::DT4, false};
    default: return std::nullopt;
    }
}

bool is_group_operation(const model::Event& e) {
    return (e.kind == model::EventKind::DevresAdd && e.node.kind == model::NodeKind::GroupClose) ||
           e.kind == model::EventKind::DevresRemove || e.kind == model::EventKind::DevresRelease;
}

class GroupProvenance final : public NamedProperty {
public:
    GroupProvenance()
        : NamedProperty(PropertyId::GroupProvenance, "group-provenance", "INV-8, INV-15",
                        "a NULL-id lookup selects a group the framework call did not open, or a resource lands "
                        "in a framework group from outside its callback") {}

    std::optional<Violation> judge_step(const model::BindModel& m, const model::Events& events,
                                        const model::World&) const override {
        const auto& s = m.scenario();
        for (std::size_t k = 0; k < events.size(); ++k) {
            const model::Event& e = events[k];
            if (e.kind == model::EventKind::DevresAdd && e.intrudes_framework_group)
                return Violation{static_cast<int>(k),
                                 driver_name(s, e.code_owner) + "'s " + resource_name(s, e.node.resource) +
                                     " lands inside " + group_description(s, e.intruded_group) + " on " +
                                     device_name(s, e.device) + ", outside the callback it was opened for"};
            if (!is_group_operation(e) || !e.null_lookup || !e.group_found) continue;
            const auto expected = expected_group(e.touch);
            if (!expected) continue;
            const int object = expected->by_master ? e.master : e.component;
            const model::Node& g = e.selected_group;
            if (g.creator == expected->creator && g.creator_object == object) continue;
            return Violation{static_cast<int>(k), std::string(touch_point_name(e.touch)) + "'s NULL-id lookup on " +
                                                      device_name(s, e.device) + " selects " +
                                                      group_description(s, g) +
                                                      ", not the group its own framework call opened"};
        }
        return std::nullopt;
    }
};

} // namespace

std::unique_ptr<Property> make_group_provenance() { return std::make_unique<GroupProvenance>(); }

} // namespace bindcheck::properties
