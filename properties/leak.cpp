// INV-12: once every driver is unbound, nothing remains: no devres node on
// any device, no registered component or master. INV-13: after a failed
// probe the driver has nothing registered and nothing of its bind scopes left.
#include "properties/property_base.hpp"

namespace bindcheck::properties {
namespace {

class Leak final : public NamedProperty {
public:
    Leak()
        : NamedProperty(PropertyId::Leak, "leak", "INV-12, INV-13",
                        "all drivers are unbound (or a probe failed) and a resource, group, component or master "
                        "remains") {}

    std::optional<Violation> judge_step(const model::BindModel& m, const model::Events& events,
                                        const model::World& after) const override {
        const auto& s = m.scenario();
        for (std::size_t k = 0; k < events.size(); ++k) {
            const model::Event& e = events[k];
            if (e.kind != model::EventKind::ProbeEnd || e.value >= 0) continue;
            const model::Driver& d = s.drivers.at(static_cast<std::size_t>(e.thread));
            for (int c : d.components)
                if (after.component_registered(c))
                    return Violation{static_cast<int>(k), d.name + "'s probe failed with component " +
                                                              s.components[static_cast<std::size_t>(c)].name +
                                                              " still registered"};
            for (int mi : d.masters)
                if (after.master_registered(mi))
                    return Violation{static_cast<int>(k), d.name + "'s probe failed with master " +
                                                              s.masters[static_cast<std::size_t>(mi)].name +
                                                              " still registered"};
        }
        return std::nullopt;
    }

    std::optional<Violation> judge_state(const model::BindModel& m, const model::World& w) const override {
        if (!w.quiescent()) return std::nullopt;
        const auto& s = m.scenario();
        for (std::size_t d = 0; d < w.devices.size(); ++d) {
            if (w.devices[d].empty()) continue;
            const model::Node& n = w.devices[d].front();
            std::string what = n.kind == model::NodeKind::Resource ? resource_name(s, n.resource)
                                                                   : std::string("a devres group marker");
            return Violation{-1, "every driver is unbound but " + device_name(s, static_cast<int>(d)) +
                                     " still holds " + what};
        }
        if (!w.component_list.empty())
            return Violation{-1, "every driver is unbound but component " +
                                     s.components.at(static_cast<std::size_t>(w.component_list.front())).name +
                                     " is still registered"};
        if (!w.masters_list.empty())
            return Violation{-1, "every driver is unbound but master " +
                                     s.masters.at(static_cast<std::size_t>(w.masters_list.front())).name +
                                     " is still registered"};
        return std::nullopt;
    }
};

} // namespace

std::unique_ptr<Property> make_leak() { return std::make_unique<Leak>(); }

} // namespace bindcheck::properties
