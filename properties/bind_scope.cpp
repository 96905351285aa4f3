// INV-3, INV-4: what a bind callback allocates lives exactly as long as the
// binding. It is released only by its own unbind or rollback (DT8/DT9/DT10
// for a component, DT2/DT11 for the master whose parent holds it), by its
// device's release_all, or by its owner's own explicit call; and nothing of
// it survives the end of that scope.
#include <algorithm>

#include "properties/property_base.hpp"

namespace bindcheck::properties {
namespace {

using model::Context;
using model::TouchPoint;

bool in_match(const model::Scenario& s, int master, int component) {
    if (master < 0) return false;
    const auto& match = s.masters.at(static_cast<std::size_t>(master)).match;
    return std::find(match.begin(), match.end(), component) != match.end();
}

bool release_allowed(const model::Scenario& s, const model::Event& e) {
    const Context c = e.node.context;
    if (is_release_all(e.touch)) return true;
    if (e.touch == TouchPoint::Driver) return e.code_owner == resource_owner(s, e.node.resource);
    const bool master_scope = e.touch == TouchPoint::DT2 || e.touch == TouchPoint::DT11;
    if (c.kind == Context::MasterBind) return master_scope && e.master == c.object;
    const bool own_component_scope = e.touch == TouchPoint::DT5 || e.touch == TouchPoint::DT8 ||
                                     e.touch == TouchPoint::DT9 || e.touch == TouchPoint::DT10;
    if (own_component_scope) return e.component == c.object;
    return master_scope && in_match(s, e.master, c.object);
}

// Live nodes allocated in the scope that just ended (and, for a component's
// unbind, still on its own device: its parent-side nodes wait for DT11).
const model::Node* survivor(const model::Scenario& s, const model::Event& end, const model::World& after,
                            int* device) {
    for (std::size_t d = 0; d < after.devices.size(); ++d) {
        for (const model::Node& n : after.devices[d]) {
            if (n.kind != model::NodeKind::Resource || n.context.kind == Context::Plain) continue;
            bool in_scope = false;
            if (end.component >= 0) {
                in_scope = n.context.kind == Context::ComponentBind && n.context.object == end.component;
                if (end.touch == TouchPoint::DT10 &&
                    static_cast<int>(d) != s.components.at(static_cast<std::size_t>(end.component)).device)
                    in_scope = false;
            } else if (end.master >= 0) {
                in_scope = (n.context.kind == Context::MasterBind && n.context.object == end.master) ||
                           (n.context.kind == Context::ComponentBind && in_match(s, end.master, n.context.object));
            }
            if (in_scope) {
                *device = static_cast<int>(d);
                return &n;
            }
        }
    }
    return nullptr;
}

class BindScope final : public NamedProperty {
public:
    BindScope()
        : NamedProperty(PropertyId::BindScope, "bind-scope", "INV-3, INV-4",
                        "a bind-callback allocation is released outside its unbind/rollback, or outlives them") {}

    std::optional<Violation> judge_step(const model::BindModel& m, const model::Events& events,
                                        const model::World& after) const override {
        const auto& s = m.scenario();
        for (std::size_t k = 0; k < events.size(); ++k) {
            const model::Event& e = events[k];
            if (frees_resource(e) && e.node.context.kind != Context::Plain && !release_allowed(s, e))
                return Violation{static_cast<int>(k),
                                 resource_name(s, e.node.resource) + ", allocated in " +
                                     context_description(s, e.node.context) + ", is released by " +
                                     std::string(touch_point_name(e.touch)) + " of another binding"};
            if (e.kind != model::EventKind::BindScopeEnd) continue;
            int device = -1;
            if (const model::Node* n = survivor(s, e, after, &device))
                return Violation{static_cast<int>(k),
                                 resource_name(s, n->resource) + " on " + device_name(s, device) +
                                     ", allocated in " + context_description(s, n->context) + ", outlives its " +
                                     (e.touch == TouchPoint::DT2 || e.touch == TouchPoint::DT9 ? "rollback"
                                                                                                : "unbind")};
        }
        return std::nullopt;
    }
};

} // namespace

std::unique_ptr<Property> make_bind_scope() { return std::make_unique<BindScope>(); }

} // namespace bindcheck::properties
