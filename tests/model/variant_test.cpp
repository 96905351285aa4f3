// Variant specs and --set assignments (spec 3.3): every point's values,
// how a changed variant is named, and the one-line errors.

#include <doctest/doctest.h>

#include <set>

#include "model/variant.hpp"

namespace {

using bindcheck::model::find_variant;
using bindcheck::model::GroupCall;
using bindcheck::model::parse_variant;
using bindcheck::model::set_variation_point;
using bindcheck::model::Variant;
using bindcheck::model::VariantError;
using bindcheck::model::variant_changes;
using bindcheck::model::variation_points;
using bindcheck::model::variation_value;

Variant parsed(std::string_view spec) {
    auto result = parse_variant(spec);
    if (auto* error = std::get_if<VariantError>(&result)) FAIL("'" << spec << "' does not parse: " << error->message);
    return std::get<Variant>(result);
}

std::string error_of(std::string_view spec) {
    auto result = parse_variant(spec);
    REQUIRE_MESSAGE(std::holds_alternative<VariantError>(result), "'" << spec << "' parses");
    return std::get<VariantError>(result).message;
}

std::string value(const Variant& v, std::string_view point) {
    for (const auto& p : variation_points())
        if (p.name == point) return std::string(variation_value(v, p));
    FAIL("no point " << point);
    return "";
}

} // namespace

TEST_CASE("the variation points have stable names and values") {
    std::vector<std::string> names;
    for (const auto& p : variation_points()) names.emplace_back(p.name);
    CHECK(names == std::vector<std::string>{"master_group_open", "close_after_bind", "release_on_bind_failure",
                                            "release_at_take_down", "release_group_on_empty_list",
                                            "unbind_of_unbound"});
    for (const auto& p : variation_points()) {
        CAPTURE(p.name);
        CHECK_FALSE(p.where.empty());
        const std::set<std::string_view> values(p.values.begin(), p.values.end());
        if (p.name == "release_group_on_empty_list") CHECK(values == std::set<std::string_view>{"warn", "silent"});
        else if (p.name == "unbind_of_unbound") CHECK(values == std::set<std::string_view>{"proceed", "return"});
        else CHECK(values == std::set<std::string_view>{"absent", "null", "master"});
    }
}

TEST_CASE("each preset reads back the settings of spec 3.3 by the point names") {
    const Variant v0 = *find_variant("V0"), v1 = *find_variant("v5.15"), v2 = *find_variant("rfc"),
                  v3 = *find_variant("V3"), v4 = *find_variant("mainline");
    CHECK(value(v0, "master_group_open") == "absent");
    CHECK(value(v0, "release_at_take_down") == "absent");
    CHECK(value(v1, "master_group_open") == "null");
    CHECK(value(v1, "close_after_bind") == "absent");
    CHECK(value(v1, "release_at_take_down") == "null");
    CHECK(value(v2, "master_group_open") == "master");
    CHECK(value(v2, "close_after_bind") == "null");
    CHECK(value(v2, "release_on_bind_failure") == "null");
    CHECK(value(v2, "release_at_take_down") == "master");
    CHECK(value(v2, "release_group_on_empty_list") == "warn");
    CHECK(value(v3, "release_group_on_empty_list") == "silent");
    CHECK(value(v3, "unbind_of_unbound") == "proceed");
    CHECK(value(v4, "unbind_of_unbound") == "return");
    for (const Variant& v : {v0, v1, v2, v3, v4}) {
        CHECK(v.preset == v.name);
        CHECK(variant_changes(v).empty());
    }
}

TEST_CASE("every value of every point can be set and read back") {
    for (const auto& point : variation_points()) {
        for (std::string_view wanted : point.values) {
            Variant v = *find_variant("V2");
            CAPTURE(point.name);
            CAPTURE(wanted);
            REQUIRE_FALSE(set_variation_point(v, std::string(point.name) + "=" + std::string(wanted)).has_value());
            CHECK(variation_value(v, point) == wanted);
            // Only this point moved.
            for (const auto& other : variation_points())
                if (other.name != point.name) CHECK(variation_value(v, other) == variation_value(*find_variant("V2"), other));
        }
    }
}

TEST_CASE("a variant spec applies its changes to the preset's fields") {
    const Variant v = parsed("V1+close_after_bind=null+release_at_take_down=master");
    CHECK(v.master_group_open == GroupCall::NullId);
    CHECK(v.close_after_bind == GroupCall::NullId);
    CHECK(v.release_at_take_down == GroupCall::MasterId);
    CHECK(v.commit == "9e1ccb4a7700");
    CHECK(v.preset == "V1");

    const Variant flags = parsed("V2+release_group_on_empty_list=silent+unbind_of_unbound=return");
    CHECK(flags.release_group_on_empty_list_is_silent);
    CHECK(flags.unbind_of_unbound_returns_early);

    const Variant back = parsed("V4+unbind_of_unbound=proceed+release_group_on_empty_list=warn");
    CHECK_FALSE(back.unbind_of_unbound_returns_early);
    CHECK_FALSE(back.release_group_on_empty_list_is_silent);
}

TEST_CASE("a changed variant is named by its preset and what differs from it") {
    CHECK(parsed("V2").name == "V2");
    CHECK(parsed("mainline").name == "V4");
    CHECK(parsed("v5.15+close_after_bind=null").name == "V1+close_after_bind=null");
    // Canonical: point order, lower-case values, no-op changes dropped, later assignments win.
    CHECK(parsed("V2+release_at_take_down=NULL+master_group_open=null").name ==
          "V2+master_group_open=null+release_at_take_down=null");
    CHECK(parsed("V2+close_after_bind=null").name == "V2");
    CHECK(parsed("V2+close_after_bind=absent+close_after_bind=master").name == "V2+close_after_bind=master");
    CHECK(parsed("V2+close_after_bind=absent+close_after_bind=null").name == "V2");
    CHECK(parsed("V1+MASTER_GROUP_OPEN=Absent").name == "V1+master_group_open=absent");

    Variant v = *find_variant("V3");
    REQUIRE_FALSE(set_variation_point(v, "release_group_on_empty_list=warn").has_value());
    CHECK(v.name == "V3+release_group_on_empty_list=warn");
    CHECK(variant_changes(v) == std::vector<std::string>{"release_group_on_empty_list=warn"});
}

TEST_CASE("unknown presets, points and values are one-line errors that list the valid ones") {
    const std::string preset = error_of("V9+close_after_bind=null");
    CHECK(preset.rfind("unknown variant 'V9' (known: V0, V1, V2, V3, V4, v5.15, v5.16, rfc, v6.16, mainline", 0) == 0);

    const std::string point = error_of("V2+close_after=null");
    CHECK(point.find("unknown variation point 'close_after'") != std::string::npos);
    CHECK(point.find("(known: master_group_open, close_after_bind, release_on_bind_failure, release_at_take_down, "
                     "release_group_on_empty_list, unbind_of_unbound)") != std::string::npos);

    const std::string val = error_of("V2+unbind_of_unbound=skip");
    CHECK(val == "in variant 'V2+unbind_of_unbound=skip': unknown value 'skip' for unbind_of_unbound (known: "
                 "proceed, return)");

    CHECK(error_of("V2+close_after_bind").find("expected POINT=VALUE, got 'close_after_bind'") != std::string::npos);
    CHECK(error_of("V2+").find("expected POINT=VALUE, got ''") != std::string::npos);
    CHECK(error_of("").rfind("unknown variant ''", 0) == 0);
    for (const char* bad : {"V9", "V2+x=y", "V2+close_after_bind=", "V2+=null"})
        CHECK(error_of(bad).find('\n') == std::string::npos);

    Variant v = *find_variant("V2");
    const auto error = set_variation_point(v, "master_group_open=maybe");
    REQUIRE(error.has_value());
    CHECK(*error == "unknown value 'maybe' for master_group_open (known: absent, null, master)");
    CHECK(v.master_group_open == GroupCall::MasterId); // unchanged
    CHECK(v.name == "V2");
}
