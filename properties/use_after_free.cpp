// INV-2: a driver only uses resources that are live.
#include "properties/property_base.hpp"

namespace bindcheck::properties {
namespace {

class UseAfterFree final : public NamedProperty {
public:
    UseAfterFree()
        : NamedProperty(PropertyId::UseAfterFree, "use-after-free", "INV-2",
                        "a driver uses a resource that has been released") {}

    std::optional<Violation> judge_step(const model::BindModel& m, const model::Events& events,
                                        const model::World&) const override {
        const auto& s = m.scenario();
        for (std::size_t k = 0; k < events.size(); ++k) {
            const model::Event& e = events[k];
            if (e.kind != model::EventKind::Use) continue;
            if (e.resource_state != model::ResourceState::Released && e.resource_state != model::ResourceState::Freed)
                continue;
            return Violation{static_cast<int>(k),
                             driver_name(s, e.code_owner) + " uses " + resource_name(s, e.node.resource) +
                                 (e.resource_state == model::ResourceState::Freed ? " after freeing it itself"
                                                                                 : " after devres released it")};
        }
        return std::nullopt;
    }
};

} // namespace

std::unique_ptr<Property> make_use_after_free() { return std::make_unique<UseAfterFree>(); }

} // namespace bindcheck::properties
