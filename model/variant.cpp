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
               "no master devres group at all (inferred from 9e1ccb4a7700's message)"};
    Variant v1{"V1", GroupCall::NullId, GroupCall::Absent, GroupCall::NullId, GroupCall::NullId, false, false,
               "9e1ccb4a7700", "v3.14 .. v5.15, 5.15.0-5.15.2, 5.10.y before its backport",
               "master group opened with a NULL id and left open after bind; take-down releases the latest open group"};
    Variant v2{"V2", GroupCall::MasterId, GroupCall::NullId, GroupCall::NullId, GroupCall::MasterId, false, false,
               "c87761db2100", "v5.16 .., 5.15.3+",
               "master group opened with id master, closed (NULL id) after bind, released by id at take-down"};
    Variant v3 = v2;
    v3.name = "V3";
    v3.release_group_on_empty_list_is_silent = true;
    v3.commit = "8e1ddfada453";
    v3.releases = "2025 (stable backports to 6.1 and later)";
    v3.description = "V2, and devres_release_group no longer WARNs on an empty device list";
    Variant v4 = v3;
    v4.name = "V4";
    v4.unbind_of_unbound_returns_early = true;
    v4.commit = "5bcca36898aa";
    v4.releases = "v6.16 ..";
    v4.description = "V3, and component_unbind of an unbound component WARNs and returns early";
    return {v0, v1, v2, v3, v4};
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

std::string_view to_string(GroupCall call) {
    switch (call) {
    case GroupCall::Absent: return "absent";
    case GroupCall::NullId: return "NULL";
    case GroupCall::MasterId: return "master";
    }
    return "?";
}

} // namespace bindcheck::model
