// INV-1b: the framework's group releases never free a resource its owner
// allocated in its own path, even on the owner's own thread (spec 4.4 run C).
#include "properties/property_base.hpp"

namespace bindcheck::properties {
namespace {

class FrameworkFree final : public NamedProperty {
public:
    FrameworkFree()
        : NamedProperty(PropertyId::FrameworkFree, "framework-free", "INV-1b",
                        "a resource from a driver's own path is released by a component-framework group release") {}

    std::optional<Violation> judge_step(const model::BindModel& m, const model::Events& events,
                                        const model::World&) const override {
        const auto& s = m.scenario();
        for (std::size_t k = 0; k < events.size(); ++k) {
            const model::Event& e = events[k];
            if (!frees_resource(e) || e.node.context.kind != model::Context::Plain || !is_framework_touch(e.touch))
                continue;
            const int owner = resource_owner(s, e.node.resource);
            return Violation{static_cast<int>(k), "the framework's " + std::string(touch_point_name(e.touch)) +
                                                      " group release on " + device_name(s, e.device) +
                                                      " frees " + driver_name(s, owner) + "'s " +
                                                      resource_name(s, e.node.resource) +
                                                      ", which was not allocated in any bind callback"};
        }
        return std::nullopt;
    }
};

} // namespace

std::unique_ptr<Property> make_framework_free() { return std::make_unique<FrameworkFree>(); }

} // namespace bindcheck::properties
