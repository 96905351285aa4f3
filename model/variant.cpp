#include "model/variant.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace bindcheck::model {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

const std::vector<std::pair<std::string, std::string>>& aliases() {
    static const std::vector<std::pair<std::string, std::string>> table = {
        {"v5.15", "V1"}, {"v5.16", "V2"}, {"rfc", "V2"}, {"v6.16", "V4"}, {"mainline", "V4"},
    };
    return table;
}

std::vector<Variant> make_presets() {
    Variant v0{"V0", GroupCall::Absent, GroupCall::Absent, GroupCall::Absent, GroupCall::Absent, false, false,
               "before 9e1ccb4a7700", "v3.14 development (2014)",
               "no master devres group at all (inferred from 9e1ccb4a7700's message)", "V0"};
    Variant v1{"V1", GroupCall::NullId, GroupCall::Absent, GroupCall::NullId, GroupCall::NullId, false, false,
               "9e1ccb4a7700", "v3.14 .. v5.15, 5.15.0-5.15.2, 5.10.y before its backport",
               "master group opened with a NULL id and left open after bind; take-down releases the latest open group",
               "V1"};
    Variant v2{"V2", GroupCall::MasterId, GroupCall::NullId, GroupCall::NullId, GroupCall::MasterId, false, false,
               "c87761db2100", "v5.16 .., 5.15.3+",
               "master group opened with id master, closed (NULL id) after bind, released by id at take-down", "V2"};
    Variant v3 = v2;
    v3.name = v3.preset = "V3";
    v3.release_group_on_empty_list_is_silent = true;
    v3.commit = "8e1ddfada453";
    v3.releases = "2025 (stable backports to 6.1 and later)";
    v3.description = "V2, and devres_release_group no longer WARNs on an empty device list";
    Variant v4 = v3;
    v4.name = v4.preset = "V4";
    v4.unbind_of_unbound_returns_early = true;
    v4.commit = "5bcca36898aa";
    v4.releases = "v6.16 ..";
    v4.description = "V3, and component_unbind of an unbound component WARNs and returns early";
    return {v0, v1, v2, v3, v4};
}

// Where a variation point lives in Variant: a group call, or a flag whose
// values are named {when false, when true}.
struct PointField {
    GroupCall Variant::*group = nullptr;
    bool Variant::*flag = nullptr;
};

struct PointEntry {
    VariationPoint point;
    PointField field;
};

const std::vector<PointEntry>& point_entries() {
    static const std::vector<std::string_view> group_values = {"absent", "null", "master"};
    static const std::vector<PointEntry> table = {
        {{"master_group_open", "DT1: devres_open_group on the parent before the master's bind", group_values},
         {&Variant::master_group_open, nullptr}},
        {{"close_after_bind", "devres_close_group on the parent after a successful master bind (c87761db2100)",
          group_values},
         {&Variant::close_after_bind, nullptr}},
        {{"release_on_bind_failure", "DT2: devres_release_group on the parent when the master's bind fails",
          group_values},
         {&Variant::release_on_bind_failure, nullptr}},
        {{"release_at_take_down", "DT11: devres_release_group on the parent after the master's unbind",
          group_values},
         {&Variant::release_at_take_down, nullptr}},
        {{"release_group_on_empty_list",
          "devres_release_group finding no group on an empty device list: WARN, or not (8e1ddfada453)",
          {"warn", "silent"}},
         {nullptr, &Variant::release_group_on_empty_list_is_silent}},
        {{"unbind_of_unbound",
          "component_unbind of an unbound component after its WARN: go on with unbind and DT10, or return "
          "(5bcca36898aa)",
          {"proceed", "return"}},
         {nullptr, &Variant::unbind_of_unbound_returns_early}},
    };
    return table;
}

std::string_view value_of(const Variant& variant, const PointEntry& entry) {
    if (entry.field.group) {
        switch (variant.*entry.field.group) {
        case GroupCall::Absent: return entry.point.values[0];
        case GroupCall::NullId: return entry.point.values[1];
        case GroupCall::MasterId: return entry.point.values[2];
        }
    }
    return entry.point.values[variant.*entry.field.flag ? 1 : 0];
}

void assign(Variant& variant, const PointEntry& entry, std::size_t value_index) {
    if (entry.field.group) {
        static constexpr GroupCall calls[] = {GroupCall::Absent, GroupCall::NullId, GroupCall::MasterId};
        variant.*entry.field.group = calls[value_index];
    } else {
        variant.*entry.field.flag = value_index == 1;
    }
}

template <class Range, class Name>
std::string joined(const Range& range, Name name) {
    std::string text;
    for (const auto& item : range) text += (text.empty() ? "" : ", ") + std::string(name(item));
    return text;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

} // namespace

const std::vector<Variant>& variant_presets() {
    static const std::vector<Variant> presets = make_presets();
    return presets;
}

std::optional<Variant> find_variant(std::string_view name) {
    std::string_view preset = name;
    for (const auto& [alias, target] : aliases())
        if (equal_ignoring_case(alias, name)) preset = target;
    for (const Variant& v : variant_presets())
        if (equal_ignoring_case(v.name, preset)) return v;
    return std::nullopt;
}

std::vector<std::string> variant_aliases(std::string_view preset) {
    std::vector<std::string> out;
    for (const auto& [alias, target] : aliases())
        if (target == preset) out.push_back(alias);
    return out;
}

std::string known_variant_names() {
    return joined(variant_presets(), [](const Variant& v) { return v.name; }) + ", " +
           joined(aliases(), [](const auto& alias) { return alias.first; });
}

std::string_view to_string(GroupCall call) {
    switch (call) {
    case GroupCall::Absent: return "absent";
    case GroupCall::NullId: return "NULL";
    case GroupCall::MasterId: return "master";
    }
    return "?";
}

const std::vector<VariationPoint>& variation_points() {
    static const std::vector<VariationPoint> points = [] {
        std::vector<VariationPoint> out;
        for (const PointEntry& entry : point_entries()) out.push_back(entry.point);
        return out;
    }();
    return points;
}

std::string_view variation_value(const Variant& variant, const VariationPoint& point) {
    for (const PointEntry& entry : point_entries())
        if (entry.point.name == point.name) return value_of(variant, entry);
    return "?";
}

std::vector<std::string> variant_changes(const Variant& variant) {
    std::vector<std::string> changes;
    const auto preset = find_variant(variant.preset);
    if (!preset) return changes;
    for (const PointEntry& entry : point_entries()) {
        const std::string_view value = value_of(variant, entry);
        if (value != value_of(*preset, entry)) changes.push_back(std::string(entry.point.name) + "=" + std::string(value));
    }
    return changes;
}

std::optional<std::string> set_variation_point(Variant& variant, std::string_view assignment) {
    const auto equals = assignment.find('=');
    if (equals == std::string_view::npos)
        return "expected POINT=VALUE, got '" + std::string(assignment) + "' (points: " +
               joined(point_entries(), [](const PointEntry& e) { return e.point.name; }) + ")";
    const std::string_view point = trimmed(assignment.substr(0, equals));
    const std::string_view value = trimmed(assignment.substr(equals + 1));
    const auto entry = std::find_if(point_entries().begin(), point_entries().end(),
                                    [&](const PointEntry& e) { return equal_ignoring_case(e.point.name, point); });
    if (entry == point_entries().end())
        return "unknown variation point '" + std::string(point) + "' (known: " +
               joined(point_entries(), [](const PointEntry& e) { return e.point.name; }) + ")";
    const auto& values = entry->point.values;
    const auto found =
        std::find_if(values.begin(), values.end(), [&](std::string_view v) { return equal_ignoring_case(v, value); });
    if (found == values.end())
        return "unknown value '" + std::string(value) + "' for " + std::string(entry->point.name) + " (known: " +
               joined(values, [](std::string_view v) { return v; }) + ")";
    assign(variant, *entry, static_cast<std::size_t>(found - values.begin()));
    if (!variant.preset.empty()) { // a variant made by hand keeps its name
        variant.name = variant.preset;
        for (const std::string& change : variant_changes(variant)) variant.name += "+" + change;
    }
    return std::nullopt;
}

std::variant<Variant, VariantError> parse_variant(std::string_view spec) {
    const std::string_view preset_name = trimmed(spec.substr(0, spec.find('+')));
    auto variant = find_variant(preset_name);
    if (!variant) return VariantError{"unknown variant '" + std::string(preset_name) + "' (known: " +
                                      known_variant_names() + "; then +POINT=VALUE, see: bindcheck list variants)"};
    for (std::size_t at = spec.find('+'); at != std::string_view::npos;) {
        const std::size_t next = spec.find('+', at + 1);
        const std::string_view assignment = spec.substr(at + 1, next == std::string_view::npos ? next : next - at - 1);
        if (auto error = set_variation_point(*variant, assignment))
            return VariantError{"in variant '" + std::string(spec) + "': " + *error};
        at = next;
    }
    return *std::move(variant);
}

} // namespace bindcheck::model
