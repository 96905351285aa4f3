// INV-7 (resources): each resource is released once, whether by devres or by
// its driver's own hand.
#include "properties/property_base.hpp"

namespace bindcheck::properties {
namespace {

class DoubleRelease final : public NamedProperty {
public:
    DoubleRelease()
        : NamedProperty(PropertyId::DoubleRelease, "double-release", "INV-7",
                        "a resource is released twice (by hand and by devres, or twice by hand)") {}

    std::optional<Violation> judge_step(const model::BindModel& m, const model::Events& events,
                                        const model::World&) const override {
        const auto& s = m.scenario();
        for (std::size_t k = 0; k < events.size(); ++k) {
            const model::Event& e = events[k];
            if (frees_resource(e) && e.node.freed_by_driver)
                return Violation{static_cast<int>(k), "devres releases " + resource_name(s, e.node.resource) +
                                                          ", which " +
                                                          driver_name(s, resource_owner(s, e.node.resource)) +
                                                          " already freed by hand"};
            if (e.kind == model::EventKind::DriverFree && (e.resource_state == model::ResourceState::Released ||
                                                           e.resource_state == model::ResourceState::Freed))
                return Violation{static_cast<int>(k), driver_name(s, e.code_owner) + " frees " +
                                                          resource_name(s, e.node.resource) +
                                                          ", which was already released"};
        }
        return std::nullopt;
    }
};

} // namespace

std::unique_ptr<Property> make_double_release() { return std::make_unique<DoubleRelease>(); }

} // namespace bindcheck::properties
