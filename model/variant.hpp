#pragma once
// A variant is one value of every variation point of spec 3.3: how the
// framework handles the master's devres group, and two devres/component
// details that changed later. Presets name the kernel's history.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bindcheck::model {

/// Which id a framework devres group call passes, or whether it is made at all.
enum class GroupCall : std::uint8_t { Absent, NullId, MasterId };

struct Variant {
    std::string name;
    GroupCall master_group_open = GroupCall::NullId;       // DT1, before the master's bind
    GroupCall close_after_bind = GroupCall::Absent;        // after a successful master bind
    GroupCall release_on_bind_failure = GroupCall::NullId; // DT2
    GroupCall release_at_take_down = GroupCall::NullId;    // DT11
    bool release_group_on_empty_list_is_silent = false;   // 8e1ddfada453
    bool unbind_of_unbound_returns_early = false;          // 5bcca36898aa
    std::string commit;      // the commit that introduced this state of the code
    std::string releases;    // kernel releases that ship it
    std::string description; // one line
};

/// V0..V4 in history order.
[[nodiscard]] const std::vector<Variant>& variant_presets();

/// A preset by name, case-insensitive: V0..V4 or an alias (v5.15, v5.16, rfc, v6.16, mainline).
[[nodiscard]] std::optional<Variant> find_variant(std::string_view name);

/// The aliases of a preset, for listings.
[[nodiscard]] std::vector<std::string> variant_aliases(std::string_view preset);

[[nodiscard]] std::string_view to_string(GroupCall call);

} // namespace bindcheck::model
