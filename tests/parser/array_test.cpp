// The array form of declarations: `device enc[3]` and `driver encoder[3] on
// enc[]` declare clones whose names carry their index, with the driver's
// body written once; NAME[] is the clone's own NAME, NAME[K] a given one.

#include "model/scenario_parser.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <variant>

using namespace bindcheck::model;

namespace {

Scenario parsed(std::string_view text) {
    ParseResult result = parse_scenario(text, "t.bind");
    if (const auto* diagnostic = std::get_if<Diagnostic>(&result)) FAIL("unexpected error: " << diagnostic->to_string());
    return std::get<Scenario>(std::move(result));
}

std::string error_of(std::string_view text) {
    const ParseResult result = parse_scenario(text, "t.bind");
    if (const auto* diagnostic = std::get_if<Diagnostic>(&result)) return diagnostic->to_string();
    return "(parsed without error)";
}

constexpr std::string_view kPairs = R"(device hda[2] "0000:0{}:1f.3"
device igpu[2] "igpu"
driver audio_drv[2] on hda[] {
  probe {
    init_completion ready[]
    component_master_add_with_match audio[] match(gfx[])
    devm iomap size 48
  }
  runtime_resume { use iomap; wait ready[] timeout }
  remove { component_master_del audio[] }
  master audio[] { bind { component_bind_all; complete ready[] } }
}
driver gfx_drv[2] on igpu[] {
  probe { component_add gfx[] }
  remove { component_del gfx[] }
  component gfx[] { bind { devm state on hda[0] } }
}
)";

} // namespace

TEST_CASE("device and driver arrays declare one clone per index") {
    const Scenario s = parsed(kPairs);
    REQUIRE(s.devices.size() == 4);
    CHECK(s.devices[0].name == "hda0");
    CHECK(s.devices[1].name == "hda1");
    CHECK(s.devices[0].bus_id == "0000:00:1f.3");
    CHECK(s.devices[1].bus_id == "0000:01:1f.3");
    CHECK(s.devices[2].bus_id == "igpu.0"); // no "{}": the index is appended
    CHECK(s.devices[3].name == "igpu1");
    REQUIRE(s.drivers.size() == 4);
    CHECK(s.drivers[0].name == "audio_drv0");
    CHECK(s.drivers[1].name == "audio_drv1");
    CHECK(s.drivers[1].device == 1);
    CHECK(s.drivers[3].name == "gfx_drv1");
    CHECK(s.drivers[3].device == 3);
    REQUIRE(s.masters.size() == 2);
    CHECK(s.masters[1].name == "audio1");
    CHECK(s.masters[1].driver == 1);
    REQUIRE(s.components.size() == 2);
    CHECK(s.components[1].name == "gfx1");
    CHECK(s.masters[0].match == std::vector<int>{0});
    CHECK(s.masters[1].match == std::vector<int>{1});
    CHECK(s.completions == std::vector<std::string>{"ready0", "ready1"});
    // Allocation sites belong to their driver: one per clone, same name.
    int iomaps = 0;
    for (const Resource& r : s.resources) iomaps += r.name == "iomap";
    CHECK(iomaps == 2);
    // NAME[K] names one clone, from every clone.
    const Statement& devm = s.components[1].bind.statements.at(0);
    CHECK(devm.device == 0);
    CHECK(s.components[0].bind.statements.at(0).device == 0);
}

TEST_CASE("NAME[K] may name a clone outside any array") {
    const Scenario s = parsed("device d[2] \"x{}\"\ndriver a on d[1] { probe { devm r on d[0] } }\n");
    REQUIRE(s.drivers.size() == 1);
    CHECK(s.drivers[0].device == 1);
    CHECK(s.drivers[0].probe.statements.at(0).device == 0);
}

TEST_CASE("malformed arrays give one located error") {
    struct Case {
        std::string text;
        std::string error;
    };
    const Case cases[] = {
        {"device d[0] \"x\"", "t.bind:1:10: error: array size 0 is out of range (1..32)"},
        {"device d[33] \"x\"", "t.bind:1:10: error: array size 33 is out of range (1..32)"},
        {"device d[] \"x\"", "t.bind:1:10: error: expected an array size after '[', got ']'"},
        {"device d[2 \"x\"", "t.bind:1:12: error: expected ']' after '2', got string \"x\""},
        {"device d \"x\"\ndriver a on d[] { }", "t.bind:2:14: error: 'd[]' names this clone's 'd': only inside a driver array (driver NAME[N] on ...)"},
        {"device d[2] \"x\"\ndriver a on d[x] { }", "t.bind:2:15: error: expected an index or ']' after '[', got 'x'"},
        {"device d[2] \"x\"\ndriver a on d[40] { }", "t.bind:2:15: error: index 40 is out of range (0..31)"},
        {"device d[2] \"x\"\ndriver a on d[2] { }", "t.bind:2:13: error: unknown device 'd2'"},
        {"device d[2] \"x\"\ndriver a[3] on d[] { }", "t.bind:2:16: error: unknown device 'd2'"},
        {"device d[2] \"x\"\ndriver a[2] on d[] { component c { } }",
         "t.bind:2:32: error: component 'c' of driver array 'a' needs the clone's index: write 'c[]'"},
        {"device d[2] \"x\"\ndevice d1 \"y\"", "t.bind:2:8: error: device 'd1' is already declared at 1:8"},
    };
    for (const Case& each : cases) {
        CAPTURE(each.text);
        CHECK(error_of(each.text) == each.error);
    }
}
