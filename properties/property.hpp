#pragma once
// A property is a named predicate over a step's events and the world after
// it, or over a state (spec section 6, INV-n). Each lives in its own file;
// registry.cpp names them.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/bind_model.hpp"

namespace bindcheck::properties {

enum class PropertyId : std::uint8_t {
    ForeignFree,
    FrameworkFree,
    UseAfterFree,
    BindScope,
    OpenGroup,
    GroupProvenance,
    DevresWarn,
    DoubleRelease,
    Leak,
};
inline constexpr int kPropertyCount = 9;

/// What broke a property: the event (index into the step's events, or -1
/// when the state itself is the violation) and one sentence saying why.
struct Violation {
    int event = -1;
    std::string reason;
};

class Property {
public:
    virtual ~Property() = default;
    [[nodiscard]] virtual PropertyId id() const = 0;
    [[nodiscard]] virtual std::string_view name() const = 0;
    [[nodiscard]] virtual std::string_view invariant() const = 0; // "INV-1"
    [[nodiscard]] virtual std::string_view summary() const = 0;   // one line for `list properties`
    /// Judges one step: its events and the world it led to.
    [[nodiscard]] virtual std::optional<Violation> judge_step(const model::BindModel&, const model::Events&,
                                                              const model::World& after) const {
        (void)after;
        return std::nullopt;
    }
    /// Judges a reachable state on its own.
    [[nodiscard]] virtual std::optional<Violation> judge_state(const model::BindModel&, const model::World&) const {
        return std::nullopt;
    }
};

/// Every property, in PropertyId order.
[[nodiscard]] const std::vector<std::unique_ptr<Property>>& all_properties();
[[nodiscard]] const Property* find_property(std::string_view name);
[[nodiscard]] const Property& property(PropertyId id);

} // namespace bindcheck::properties
