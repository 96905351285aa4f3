// INV-1: a resource allocated in its owner's own path is released only by
// its device's release_all or by its owner's own operations, never by an
// operation another driver initiated (the seed's invariant).
#include "properties/property_base.hpp"

namespace bindcheck::properties {
namespace {

class ForeignFree final : public NamedProperty {
public:
    ForeignFree()
        : NamedProperty(PropertyId::ForeignFree, "foreign-free", "INV-1",
                        "a resource from a driver's own probe/work/resume path is released by another driver's "
                        "operation") {}

    std::optional<Violation> judge_step(const model::BindModel& m, const model::Events& events,
                                        const model::World&) const override {
        const auto& s = m.scenario();
        for (std::size_t k = 0; k < events.size(); ++k) {
            const model::Event& e = events[k];
            if (!frees_resource(e) || e.node.context.kind != model::Context::Plain || is_release_all(e.touch))
                continue;
            const int owner = resource_owner(s, e.node.resource);
            if (owner == e.thread) continue;
            return Violation{static_cast<int>(k),
                             driver_name(s, e.thread) + "'s operation releases " + driver_name(s, owner) + "'s " +
                                 resource_name(s, e.node.resource) + " (" +
                                 std::string(touch_point_name(e.touch)) + " on " + device_name(s, e.device) +
                                 "), which " + driver_name(s, owner) +
                                 " allocated in its own path and still owns"};
        }
        return std::nullopt;
    }
};

} // namespace

std::unique_ptr<Property> make_foreign_free() { return std::make_unique<ForeignFree>(); }

} // namespace bindcheck::properties
