// INV-6, INV-7: the kernel would WARN or BUG.
#include "properties/property_base.hpp"

namespace bindcheck::properties {
namespace {

class DevresWarn final : public NamedProperty {
public:
    DevresWarn()
        : NamedProperty(PropertyId::DevresWarn, "devres-warn", "INV-6, INV-7",
                        "the kernel would WARN or BUG (group not found, unbind of an unbound component, ...)") {}

    std::optional<Violation> judge_step(const model::BindModel& m, const model::Events& events,
                                        const model::World&) const override {
        const auto& s = m.scenario();
        for (std::size_t k = 0; k < events.size(); ++k) {
            const model::Event& e = events[k];
            if (e.kind == model::EventKind::Warn) {
                std::string where = e.touch == model::TouchPoint::Driver
                                        ? std::string()
                                        : " at " + std::string(touch_point_name(e.touch));
                std::string device = e.device >= 0 ? " on " + device_name(s, e.device) : std::string();
                return Violation{static_cast<int>(k),
                                 "WARN: " + std::string(warn_description(e.warn)) + where + device};
            }
            if (e.kind == model::EventKind::Bug)
                return Violation{static_cast<int>(k), "BUG: " + std::string(bug_description(e.bug))};
        }
        return std::nullopt;
    }
};

} // namespace

std::unique_ptr<Property> make_devres_warn() { return std::make_unique<DevresWarn>(); }

} // namespace bindcheck::properties
