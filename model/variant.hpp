#pragma once
// A variant is one value of every variation point of spec 3.3: how the
// framework handles the master's devres group, and two devres/component
// details that changed later. Presets name the kernel's history; a variant
// spec ("V2+close_after_bind=absent") names a preset with some points
// changed, so that a what-if can be checked without a new preset.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bindcheck::model {

/// Which id a framework devres group call passes, or whether it is made at all.
enum class GroupCall : std::uint8_t { Absent, NullId, MasterId };

struct Variant {
    std::string name; // the preset's name, then "+POINT=VALUE" for each point that differs from it
    GroupCall master_group_open = GroupCall::NullId;       // DT1, before the master's bind
    GroupCall close_after_bind = GroupCall::Absent;        // after a successful master bind
    GroupCall release_on_bind_failure = GroupCall::NullId; // DT2
    GroupCall release_at_take_down = GroupCall::NullId;    // DT11
    bool release_group_on_empty_list_is_silent = false;   // 8e1ddfada453
    bool unbind_of_unbound_returns_early = false;          // 5bcca36898aa
    std::string commit;      // the commit that introduced this state of the code
    std::string releases;    // kernel releases that ship it
    std::string description; // one line
    std::string preset;      // the preset this variant started from (V0..V4)
};

/// V0..V4 in history order.
[[nodiscard]] const std::vector<Variant>& variant_presets();

/// A preset by name, case-insensitive: V0..V4 or an alias (v5.15, v5.16, rfc, v6.16, mainline).
[[nodiscard]] std::optional<Variant> find_variant(std::string_view name);

/// The aliases of a preset, for listings.
[[nodiscard]] std::vector<std::string> variant_aliases(std::string_view preset);

/// "V0, V1, V2, V3, V4, v5.15, v5.16, rfc, v6.16, mainline", for messages.
[[nodiscard]] std::string known_variant_names();

[[nodiscard]] std::string_view to_string(GroupCall call);

/// One variation point as `--set POINT=VALUE` names it. The names are
/// stable: scenario `# expect` lines and scripts use them.
struct VariationPoint {
    std::string_view name;                // master_group_open, ...
    std::string_view where;               // the code it changes, with the spec's touch point
    std::vector<std::string_view> values; // every value it may take, oldest kernel's first
};

/// Every variation point, in the order names and listings use.
[[nodiscard]] const std::vector<VariationPoint>& variation_points();

/// The value `variant` has at `point` (a name from variation_points()).
[[nodiscard]] std::string_view variation_value(const Variant& variant, const VariationPoint& point);

/// Applies "POINT=VALUE" (names case-insensitive) and renames the variant
/// after its changes. Returns a one-line error naming the valid points or
/// values instead, leaving the variant unchanged.
[[nodiscard]] std::optional<std::string> set_variation_point(Variant& variant, std::string_view assignment);

/// "POINT=VALUE" for every point where `variant` differs from its preset, in variation_points() order.
[[nodiscard]] std::vector<std::string> variant_changes(const Variant& variant);

struct VariantError {
    std::string message; // one line
};

/// A variant spec: PRESET{+POINT=VALUE}, e.g. "V2+close_after_bind=absent".
/// Later assignments to the same point win.
[[nodiscard]] std::variant<Variant, VariantError> parse_variant(std::string_view spec);

} // namespace bindcheck::model
