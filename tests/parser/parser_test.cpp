// Tests of model/scenario_parser: the design's example, every statement kind,
// bad inputs with their exact one-line error, and robustness on cut and
// mutated input.

#include "model/scenario_parser.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <unistd.h>
#include <variant>
#include <vector>

using namespace bindcheck::model;

namespace {

// Copied from docs design.md, section "Scenario language".
constexpr std::string_view kIssue4136 = R"(# drm/intel issue 4136: i915 unbind frees snd_hda_intel's iomap
device hda  "0000:00:1f.3"
device igpu "0000:00:02.0"

driver snd_hda_intel on hda {
  probe {
    component_master_add_with_match audio match(i915_audio)
    devm pcim_iomap size 48
  }
  runtime_resume { use pcim_iomap }
  remove { component_master_del audio }
  master audio {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver i915 on igpu {
  probe  { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { }
  }
}

bound rebinds = 1    # each driver may be unbound and bound again once
bound resumes = 1    # each driver may run runtime_resume once per binding
)";

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

/// A driver "d" on device "dev" whose probe block is `probe_body`.
std::string with_probe(std::string_view probe_body) {
    return "device dev \"1\"\ndriver d on dev {\n  probe {\n" + std::string(probe_body) + "\n  }\n}\n";
}

bool same_location(SourceLocation where, int line, int column) { return where.line == line && where.column == column; }

} // namespace

TEST_CASE("the drm/intel 4136 example from the design parses into its structure") {
    const Scenario scenario = parsed(kIssue4136);
    CHECK(scenario.path == "t.bind");

    REQUIRE(scenario.devices.size() == 2);
    CHECK(scenario.devices[0].name == "hda");
    CHECK(scenario.devices[0].bus_id == "0000:00:1f.3");
    CHECK(scenario.devices[0].driver == 0);
    CHECK(same_location(scenario.devices[0].where, 2, 8));
    CHECK(scenario.devices[1].name == "igpu");
    CHECK(scenario.devices[1].bus_id == "0000:00:02.0");
    CHECK(scenario.devices[1].driver == 1);

    REQUIRE(scenario.drivers.size() == 2);
    const Driver& hda = scenario.drivers[0];
    CHECK(hda.name == "snd_hda_intel");
    CHECK(hda.device == 0);
    CHECK(hda.masters == std::vector<int>{0});
    CHECK(hda.components.empty());
    CHECK(same_location(hda.where, 5, 8));
    const Driver& i915 = scenario.drivers[1];
    CHECK(i915.name == "i915");
    CHECK(i915.device == 1);
    CHECK(i915.components == std::vector<int>{0});
    CHECK(i915.masters.empty());

    REQUIRE(scenario.masters.size() == 1);
    const Master& audio = scenario.masters[0];
    CHECK(audio.name == "audio");
    CHECK(audio.driver == 0);
    CHECK(audio.parent == 0);
    CHECK(audio.match == std::vector<int>{0});
    CHECK(same_location(audio.where, 12, 10));
    REQUIRE(scenario.components.size() == 1);
    const Component& i915_audio = scenario.components[0];
    CHECK(i915_audio.name == "i915_audio");
    CHECK(i915_audio.driver == 1);
    CHECK(i915_audio.device == 1);
    CHECK(i915_audio.bind.present);
    CHECK(i915_audio.bind.statements.empty());
    CHECK(i915_audio.unbind.present);

    REQUIRE(hda.probe.present);
    CHECK(same_location(hda.probe.where, 6, 3));
    CHECK_FALSE(hda.probe.may_fail);
    REQUIRE(hda.probe.statements.size() == 2);
    const Statement& add_master = hda.probe.statements[0];
    CHECK(add_master.kind == StatementKind::ComponentMasterAddWithMatch);
    CHECK(add_master.master == 0);
    CHECK(same_location(add_master.where, 7, 5));
    const Statement& iomap = hda.probe.statements[1];
    CHECK(iomap.kind == StatementKind::Devm);
    CHECK(iomap.resource == 0);
    CHECK(iomap.size == 48);
    CHECK(iomap.device == -1);
    CHECK(same_location(iomap.where, 8, 5));

    REQUIRE(hda.runtime_resume.statements.size() == 1);
    CHECK(hda.runtime_resume.statements[0].kind == StatementKind::Use);
    CHECK(hda.runtime_resume.statements[0].resource == 0);
    CHECK(same_location(hda.runtime_resume.statements[0].where, 10, 20));
    REQUIRE(hda.remove.statements.size() == 1);
    CHECK(hda.remove.statements[0].kind == StatementKind::ComponentMasterDel);
    CHECK(hda.remove.statements[0].master == 0);
    CHECK(same_location(hda.remove.where, 11, 3));

    REQUIRE(audio.bind.statements.size() == 1);
    CHECK(audio.bind.statements[0].kind == StatementKind::ComponentBindAll);
    CHECK(same_location(audio.bind.statements[0].where, 13, 14));
    REQUIRE(audio.unbind.statements.size() == 1);
    CHECK(audio.unbind.statements[0].kind == StatementKind::ComponentUnbindAll);

    REQUIRE(i915.probe.statements.size() == 1);
    CHECK(i915.probe.statements[0].kind == StatementKind::ComponentAdd);
    CHECK(i915.probe.statements[0].component == 0);
    CHECK(same_location(i915.probe.statements[0].where, 19, 12));
    CHECK(i915.remove.statements[0].kind == StatementKind::ComponentDel);
    CHECK_FALSE(i915.runtime_resume.present);

    REQUIRE(scenario.resources.size() == 1);
    CHECK(scenario.resources[0].name == "pcim_iomap");
    CHECK(scenario.resources[0].driver == 0);
    CHECK(scenario.resources[0].size == 48);

    CHECK(scenario.bounds.rebinds == 1);
    CHECK(scenario.bounds.resumes == 1);
    CHECK(scenario.bounds.open_group_failures == 0);
    CHECK(scenario.completions.empty());
    CHECK(scenario.group_ids.empty());
}

TEST_CASE("devm, use, free and devm_free resolve to one resource per driver and name") {
    const Scenario scenario = parsed(R"(device a "a"
device b "b"
driver d on a {
  probe {
    use buf            # before the devm: resolved at the end of the driver
    devm buf on b size 16
    devm other
    free other
    devm_free buf on b
  }
  remove { devm buf; devm_free other }
}
driver e on b {
  probe { devm buf }
}
)");
    REQUIRE(scenario.resources.size() == 3);
    CHECK(scenario.resources[0].name == "buf");
    CHECK(scenario.resources[0].driver == 0);
    CHECK(scenario.resources[0].size == 16);
    CHECK(scenario.resources[1].name == "other");
    CHECK(scenario.resources[1].size == 0);
    CHECK(scenario.resources[2].name == "buf");
    CHECK(scenario.resources[2].driver == 1);

    const auto& probe = scenario.drivers[0].probe.statements;
    REQUIRE(probe.size() == 5);
    CHECK(probe[0].kind == StatementKind::Use);
    CHECK(probe[0].resource == 0);
    CHECK(probe[1].kind == StatementKind::Devm);
    CHECK(probe[1].device == 1);
    CHECK(probe[1].size == 16);
    CHECK(probe[2].resource == 1);
    CHECK(probe[2].device == -1);
    CHECK(probe[3].kind == StatementKind::Free);
    CHECK(probe[3].resource == 1);
    CHECK(probe[4].kind == StatementKind::DevmFree);
    CHECK(probe[4].resource == 0);
    CHECK(probe[4].device == 1);
    CHECK(same_location(probe[4].where, 9, 5));

    const auto& remove = scenario.drivers[0].remove.statements;
    REQUIRE(remove.size() == 2);
    CHECK(remove[0].resource == 0);
    CHECK(remove[0].size == 16); // an allocation site has one size, given on any of its lines
    CHECK(remove[1].kind == StatementKind::DevmFree);
    CHECK(remove[1].resource == 1);
    CHECK(remove[1].device == -1);
    CHECK(scenario.drivers[1].probe.statements[0].resource == 2);
}

TEST_CASE("devm's release clause names the callback the debug log prints, once per site") {
    const Scenario s = parsed(with_probe("devm iomap size 48 release pcim_iomap_release; devm plain; devm iomap"));
    REQUIRE(s.resources.size() == 2);
    CHECK(s.resources[0].release_function == "pcim_iomap_release");
    CHECK(s.resources[0].log_name() == "pcim_iomap_release");
    CHECK(s.resources[0].size == 48);
    CHECK(s.resources[1].log_name() == "plain");
}

TEST_CASE("component and master statements resolve names declared later in the driver or file") {
    const Scenario scenario = parsed(R"(device parent "p"
device child  "c"
device gpu    "g"
driver host on parent {
  probe {
    component_master_add_with_match agg match(c1, c2, c1)
    component_add local
    component_add_typed local 2
  }
  remove {
    component_master_del agg
    component_del local
  }
  master agg on child {
    bind may_fail -EPROBE_DEFER { component_bind_all; may_fail ENOMEM }
    unbind { component_unbind_all }
  }
  component local { bind { } }
}
driver gfx on gpu {
  probe { component_add c1; component_add c2 }
  component c1 { bind may_fail { } }
  component c2 on parent { unbind { } }
}
)");
    REQUIRE(scenario.masters.size() == 1);
    const Master& agg = scenario.masters[0];
    CHECK(agg.parent == 1);
    CHECK(agg.match == std::vector<int>{1, 2, 1});
    CHECK(agg.bind.may_fail);
    CHECK(agg.bind.fail_error == kEPROBE_DEFER);
    CHECK(same_location(agg.bind.where, 15, 5));
    REQUIRE(agg.bind.statements.size() == 2);
    CHECK(agg.bind.statements[1].kind == StatementKind::MayFail);
    CHECK(agg.bind.statements[1].error == kENOMEM);
    CHECK_FALSE(agg.unbind.may_fail);

    REQUIRE(scenario.components.size() == 3);
    CHECK(scenario.components[0].name == "local");
    CHECK(scenario.components[0].device == 0);
    CHECK(scenario.components[0].bind.present);
    CHECK_FALSE(scenario.components[0].unbind.present);
    CHECK(scenario.components[1].name == "c1");
    CHECK(scenario.components[1].driver == 1);
    CHECK(scenario.components[1].bind.may_fail);
    CHECK(scenario.components[1].bind.fail_error == kEINVAL);
    CHECK(scenario.components[2].device == 0);
    CHECK_FALSE(scenario.components[2].bind.present);
    CHECK(scenario.drivers[1].components == std::vector<int>{1, 2});

    const auto& probe = scenario.drivers[0].probe.statements;
    REQUIRE(probe.size() == 3);
    CHECK(probe[0].master == 0);
    CHECK(probe[1].kind == StatementKind::ComponentAdd);
    CHECK(probe[1].component == 0);
    CHECK(probe[2].kind == StatementKind::ComponentAddTyped);
    CHECK(probe[2].component == 0);
    CHECK(probe[2].subcomponent == 2);
    const auto& remove = scenario.drivers[0].remove.statements;
    CHECK(remove[0].kind == StatementKind::ComponentMasterDel);
    CHECK(remove[0].master == 0);
    CHECK(remove[1].kind == StatementKind::ComponentDel);
    CHECK(remove[1].component == 0);
}

TEST_CASE("the same master may be added at several places with the same match list") {
    const Scenario scenario = parsed(R"(device p "p"
driver d on p {
  probe { component_master_add_with_match m match(c,
                                                  c) }
  runtime_resume { component_master_add_with_match m match(c, c) }
  master m { }
  component c { }
}
)");
    CHECK(scenario.masters[0].match == std::vector<int>{0, 0});
}

TEST_CASE("devres group statements take an optional id, NULL, and an optional device") {
    const Scenario scenario = parsed(with_probe(R"(devres_open_group
devres_open_group my_group on dev
devres_close_group NULL
devres_remove_group NULL on dev
devres_release_group my_group
devres_open_group other.id)"));
    const auto& statements = scenario.drivers[0].probe.statements;
    REQUIRE(statements.size() == 6);
    CHECK(statements[0].kind == StatementKind::DevresOpenGroup);
    CHECK(statements[0].group_id == -1);
    CHECK(statements[0].device == -1);
    CHECK(statements[1].group_id == 0);
    CHECK(statements[1].device == 0);
    CHECK(statements[2].kind == StatementKind::DevresCloseGroup);
    CHECK(statements[2].group_id == -1);
    CHECK(statements[3].kind == StatementKind::DevresRemoveGroup);
    CHECK(statements[3].group_id == -1);
    CHECK(statements[3].device == 0);
    CHECK(statements[4].kind == StatementKind::DevresReleaseGroup);
    CHECK(statements[4].group_id == 0);
    CHECK(statements[5].group_id == 1);
    CHECK(scenario.group_ids == std::vector<std::string>{"my_group", "other.id"});
}

TEST_CASE("completions, may_fail and device_unregister statements fill their fields") {
    const Scenario scenario = parsed(R"(device host "h"
device child "c"   # registered by the driver, never bound
driver d on host {
  probe may_fail ENODEV {
    init_completion ready; wait ready timeout; wait other
    may_fail
    may_fail -EBUSY
    may_fail EIO
  }
  remove { complete ready; device_unregister child }
}
)");
    const Driver& driver = scenario.drivers[0];
    CHECK(driver.probe.may_fail);
    CHECK(driver.probe.fail_error == kENODEV);
    CHECK_FALSE(driver.remove.may_fail);
    CHECK(driver.remove.fail_error == kEINVAL);
    const auto& probe = driver.probe.statements;
    REQUIRE(probe.size() == 6);
    CHECK(probe[0].kind == StatementKind::InitCompletion);
    CHECK(probe[0].completion == 0);
    CHECK(probe[1].kind == StatementKind::Wait);
    CHECK(probe[1].timeout);
    CHECK(probe[2].completion == 1);
    CHECK_FALSE(probe[2].timeout);
    CHECK(probe[3].kind == StatementKind::MayFail);
    CHECK(probe[3].error == kEINVAL);
    CHECK(probe[4].error == kEBUSY);
    CHECK(probe[5].error == kEIO);
    CHECK(same_location(probe[5].where, 8, 5));
    const auto& remove = driver.remove.statements;
    CHECK(remove[0].kind == StatementKind::Complete);
    CHECK(remove[0].completion == 0);
    CHECK(remove[1].kind == StatementKind::DeviceUnregister);
    CHECK(remove[1].device == 1);
    CHECK(scenario.completions == std::vector<std::string>{"ready", "other"});
    CHECK(scenario.devices[1].driver == -1);
}

TEST_CASE("semicolons, comments, blank lines and braces on the next line are accepted") {
    const Scenario scenario = parsed("\n# header\r\ndevice a \"a\" ; device b \"b\"\r\n\n"
                                     "driver d on a\n{\n\n  probe\n  {\n\n    devm x ;; use x # comment\n  }\n}\n"
                                     "bound open_group_failures = 15; bound rebinds = 0");
    CHECK(scenario.devices.size() == 2);
    CHECK(scenario.drivers[0].probe.statements.size() == 2);
    CHECK(scenario.bounds.open_group_failures == 15);
}

TEST_CASE("each malformed input gives one exact error with file, line and column") {
    const std::string device = "device hda \"0000:00:1f.3\"\n";
    const auto driver = [&device](std::string_view body) { return device + "driver d on hda {\n" + std::string(body) + "\n}\n"; };
    struct Case {
        std::string name;
        std::string text;
        std::string error;
    };
    const std::vector<Case> cases = {
        {"empty file", "", "t.bind:1:1: error: scenario declares no driver"},
        {"only devices", device, "t.bind:1:1: error: scenario declares no driver"},
        {"unknown top-level word", device + "drvier d on hda { }",
         "t.bind:2:1: error: expected 'device', 'driver' or 'bound', got 'drvier'"},
        {"missing '{'", driver("  probe\n    devm x\n  }"), "t.bind:4:5: error: expected '{' after 'probe', got 'devm'"},
        {"unterminated block at end of file", device + "driver d on hda {\n  probe {\n    devm x\n",
         "t.bind:5:1: error: expected '}' before end of file"},
        {"unterminated block without final newline", device + "driver d on hda {", "t.bind:2:18: error: expected '}' before end of file"},
        {"unterminated string", "device hda \"0000:00\ndriver d on hda { }",
         "t.bind:1:12: error: unterminated string: missing '\"' before end of line"},
        {"unknown device", device + "driver d on hdx { }", "t.bind:2:13: error: unknown device 'hdx'"},
        {"duplicate device", device + "device hda \"x\"", "t.bind:2:8: error: device 'hda' is already declared at 1:8"},
        {"device with two drivers", device + "driver a on hda { }\ndriver b on hda { }",
         "t.bind:3:13: error: device 'hda' already has driver 'a' (declared at 2:8)"},
        {"duplicate driver", device + "device igpu \"2\"\ndriver a on hda { }\ndriver a on igpu { }",
         "t.bind:4:8: error: driver 'a' is already declared at 3:8"},
        {"unknown statement", driver("  probe { frob x }"),
         "t.bind:3:11: error: expected a statement (devm, use, component_add, ...), got 'frob'"},
        {"trailing tokens", driver("  probe { devm x size 4 extra }"), "t.bind:3:25: error: expected end of statement, got 'extra'"},
        {"use of a never-allocated resource", driver("  probe {\n    devm x\n  }\n  remove { use y }"),
         "t.bind:6:16: error: driver 'd' never allocates 'y' (no 'devm y')"},
        {"unknown component in match", driver("  probe { component_master_add_with_match m match(c1) }\n  master m { }"),
         "t.bind:3:51: error: unknown component 'c1' in the match list of master 'm'"},
        {"conflicting match lists",
         driver("  probe { component_master_add_with_match m match(c) }\n"
                "  remove { component_master_add_with_match m match(c, c) }\n  master m { }\n  component c { }"),
         "t.bind:4:12: error: match list of master 'm' differs from the one given at 3:11"},
        {"component_bind_all outside a master block", driver("  probe { component_bind_all }"),
         "t.bind:3:11: error: component_bind_all is only allowed in a master's bind or unbind block"},
        {"component_unbind_all in a component block", driver("  component c { unbind { component_unbind_all } }"),
         "t.bind:3:26: error: component_unbind_all is only allowed in a master's bind or unbind block"},
        {"bound out of range", driver("") + "bound rebinds = 16",
         "t.bind:5:17: error: bound 'rebinds' must be between 0 and 15, got 16"},
        {"bound set twice", driver("") + "bound resumes = 1\nbound resumes = 2",
         "t.bind:6:7: error: bound 'resumes' is already set at 5:1"},
        {"unknown bound", driver("") + "bound retries = 1",
         "t.bind:5:7: error: expected 'rebinds', 'resumes' or 'open_group_failures' after 'bound', got 'retries'"},
        {"bad errno", driver("  probe may_fail EFOO { }"),
         "t.bind:3:18: error: unknown errno 'EFOO' (expected EINVAL, ENOMEM, ENODEV, EBUSY, EIO or EPROBE_DEFER)"},
        {"bad errno after minus", driver("  probe { may_fail -22 }"),
         "t.bind:3:21: error: expected an errno (EINVAL, ENOMEM, ENODEV, EBUSY, EIO or EPROBE_DEFER) after '-', got '22'"},
        {"non-number size", driver("  probe { devm x size big }"), "t.bind:3:23: error: expected a number after 'size', got 'big'"},
        {"size out of range", driver("  probe { devm x size 1000001 }"),
         "t.bind:3:23: error: size 1000001 is out of range (0..1000000)"},
        {"number glued to letters", driver("  probe { devm x size 48k }"), "t.bind:3:23: error: invalid number '48k'"},
        {"conflicting sizes", driver("  probe { devm x size 4 }\n  remove { devm x size 8 }"),
         "t.bind:4:24: error: size 8 of 'x' conflicts with size 4 at 3:23"},
        {"conflicting release functions", driver("  probe { devm x release x_release }\n  remove { devm x release y_release }"),
         "t.bind:4:27: error: release function 'y_release' of 'x' conflicts with 'x_release' at 3:26"},
        {"release without a function name", driver("  probe { devm x release }"),
         "t.bind:3:26: error: expected a release function name after 'release', got '}'"},
        {"device_unregister of a device with a driver", driver("  probe { device_unregister hda }"),
         "t.bind:3:29: error: device_unregister needs a device without a driver, but driver 'd' binds to device 'hda'"},
        {"device_unregister of a device bound later", device + "device b \"b\"\ndriver d on hda { remove { device_unregister b } }\n"
                                                                "driver e on b { }",
         "t.bind:3:46: error: device_unregister needs a device without a driver, but driver 'e' binds to device 'b'"},
        {"keyword used as a name", device + "device probe \"x\"", "t.bind:2:8: error: expected a device name after 'device', got keyword 'probe'"},
        {"missing bus id", device + "device igpu\ndriver d on hda { }",
         "t.bind:2:12: error: expected a bus id string (like \"0000:00:1f.3\") after 'igpu', got end of line"},
        {"empty bus id", device + "device igpu \"\"", "t.bind:2:13: error: the bus id of device 'igpu' is empty"},
        {"missing 'on' after driver name", device + "driver d { }", "t.bind:2:10: error: expected 'on' after driver name 'd', got '{'"},
        {"duplicate probe block", driver("  probe { }\n  probe { }"), "t.bind:4:3: error: driver 'd' already has a 'probe' block at 3:3"},
        {"duplicate bind block", driver("  master m {\n    bind { component_bind_all }\n    bind { }\n  }"),
         "t.bind:5:5: error: master 'm' already has a 'bind' block at 4:5"},
        {"unknown driver item", driver("  resume { }"),
         "t.bind:3:3: error: expected 'probe', 'remove', 'runtime_resume', 'component', 'master' or '}', got 'resume'"},
        {"unknown callback", driver("  component c { suspend { } }"), "t.bind:3:17: error: expected 'bind', 'unbind' or '}', got 'suspend'"},
        {"may_fail on unbind", driver("  component c { unbind may_fail { } }"),
         "t.bind:3:24: error: expected '{' after 'unbind', got 'may_fail'"},
        {"component and master share one namespace", driver("  component x { }\n  master x { }"),
         "t.bind:4:10: error: master 'x' is already declared as a component at 3:13"},
        {"component_add of another driver's component",
         device + "device b \"b\"\ndriver d on hda { probe { component_add c } }\ndriver e on b { component c { } }",
         "t.bind:3:41: error: driver 'd' declares no component 'c'"},
        {"component_add of a master", driver("  probe { component_add m }\n  master m { }"),
         "t.bind:3:25: error: driver 'd' declares no component 'm' ('m' is a master)"},
        {"master of another driver",
         device + "device b \"b\"\ndriver e on b { master m { } }\ndriver d on hda { remove { component_master_del m } }",
         "t.bind:4:49: error: driver 'd' declares no master 'm' (it belongs to driver 'e')"},
        {"master in a match list", driver("  probe { component_master_add_with_match m match(m) }\n  master m { }"),
         "t.bind:3:51: error: 'm' in the match list of master 'm' is a master, not a component"},
        {"empty match list", driver("  probe { component_master_add_with_match m match() }"),
         "t.bind:3:51: error: expected a component name after '(', got ')'"},
        {"unclosed match list", driver("  probe { component_master_add_with_match m match(a b) }"),
         "t.bind:3:53: error: expected ',' or ')' in match list, got 'b'"},
        {"missing subcomponent", driver("  probe { component_add_typed c }\n  component c { }"),
         "t.bind:3:33: error: expected a number after 'c', got '}'"},
        {"unexpected character", driver("  probe { devm x@y }"), "t.bind:3:17: error: unexpected character '@'"},
        {"control character in a string", "device a \"a\x01\"", "t.bind:1:12: error: unexpected control character '\\x01' in string"},
        {"stray closing brace", driver("") + "}", "t.bind:5:1: error: expected 'device', 'driver' or 'bound', got '}'"},
        {"text after a driver's closing brace", device + "driver d on hda { } bound rebinds = 1",
         "t.bind:2:21: error: expected end of statement, got 'bound'"},
    };
    CHECK(cases.size() >= 14);
    for (const Case& each : cases) {
        CAPTURE(each.name);
        CHECK(error_of(each.text) == each.error);
    }
}

TEST_CASE("the limits on devices, statements and completions are enforced") {
    std::string devices;
    for (int i = 0; i < 33; ++i) devices += "device d" + std::to_string(i) + " \"" + std::to_string(i) + "\"\n";
    CHECK(error_of(devices) == "t.bind:33:8: error: too many devices (at most 32)");

    std::string statements;
    for (int i = 0; i < 201; ++i) statements += "may_fail\n";
    CHECK(error_of(with_probe(statements)) == "t.bind:204:1: error: too many statements in one block (at most 200)");

    std::string completions;
    for (int i = 0; i < 65; ++i) completions += "complete c" + std::to_string(i) + "\n";
    CHECK(error_of(with_probe(completions)) == "t.bind:68:10: error: too many completions (at most 64)");

    std::string at_limit;
    for (int i = 0; i < 200; ++i) at_limit += "complete c" + std::to_string(i % 64) + "\n";
    CHECK(parsed(with_probe(at_limit)).drivers[0].probe.statements.size() == 200);
}

TEST_CASE("a diagnostic without a line names only the file") {
    const Diagnostic diagnostic{"x.bind", 0, 0, "cannot read file: No such file or directory"};
    CHECK(diagnostic.to_string() == "x.bind: error: cannot read file: No such file or directory");
}

TEST_CASE("load_scenario reads a file and reports an unreadable one") {
    const std::string missing = "/nonexistent-dir/missing.bind";
    const ParseResult not_found = load_scenario(missing);
    REQUIRE(std::holds_alternative<Diagnostic>(not_found));
    CHECK(std::get<Diagnostic>(not_found).to_string() == missing + ": error: cannot read file: No such file or directory");

    const std::filesystem::path directory = std::filesystem::temp_directory_path();
    const ParseResult is_directory = load_scenario(directory.string());
    REQUIRE(std::holds_alternative<Diagnostic>(is_directory));
    CHECK(std::get<Diagnostic>(is_directory).message == "cannot read file: Is a directory");

    const std::filesystem::path file = directory / ("bindcheck-parser-test-" + std::to_string(::getpid()) + ".bind");
    std::ofstream(file) << kIssue4136;
    const ParseResult loaded = load_scenario(file.string());
    std::filesystem::remove(file);
    REQUIRE(std::holds_alternative<Scenario>(loaded));
    CHECK(std::get<Scenario>(loaded).path == file.string());
    CHECK(std::get<Scenario>(loaded).drivers.size() == 2);
}

TEST_CASE("every prefix of the 4136 example parses or gives a located error") {
    for (std::size_t length = 0; length <= kIssue4136.size(); ++length) {
        const ParseResult result = parse_scenario(kIssue4136.substr(0, length), "t.bind");
        if (const auto* diagnostic = std::get_if<Diagnostic>(&result)) {
            CAPTURE(length);
            CHECK(diagnostic->line >= 1);
            CHECK(diagnostic->column >= 1);
        }
    }
}

TEST_CASE("randomly mutated scenarios never crash and errors stay inside the text") {
    std::mt19937 random(4136);
    const std::string alphabet = "{}();,=-\"#\n \t_aZ09.\x01\xff";
    for (int round = 0; round < 3000; ++round) {
        std::string text(kIssue4136);
        const int edits = 1 + static_cast<int>(random() % 4);
        for (int edit = 0; edit < edits; ++edit) {
            const std::size_t at = random() % (text.size() + 1);
            switch (random() % 3) {
            case 0: text.insert(at, 1, alphabet[random() % alphabet.size()]); break;
            case 1:
                if (at < text.size()) text.erase(at, 1 + random() % 8);
                break;
            default:
                if (at < text.size()) text[at] = alphabet[random() % alphabet.size()];
                break;
            }
        }
        const ParseResult result = parse_scenario(text, "t.bind");
        if (const auto* diagnostic = std::get_if<Diagnostic>(&result)) {
            CAPTURE(text);
            const auto lines = 1 + std::count(text.begin(), text.end(), '\n');
            CHECK(diagnostic->line >= 1);
            CHECK(diagnostic->line <= lines);
            CHECK_FALSE(diagnostic->message.empty());
        }
    }
}

TEST_CASE("a driver's items and a component's callbacks may share a line") {
    const char* text = "device hda \"0000:00:1f.3\"\n"
                       "driver d on hda { probe { component_add c } remove { component_del c }\n"
                       "  component c { bind { } unbind { } } }\n";
    auto result = bindcheck::model::parse_scenario(text, "t.bind");
    REQUIRE(std::holds_alternative<bindcheck::model::Scenario>(result));
    const auto& s = std::get<bindcheck::model::Scenario>(result);
    CHECK(s.drivers.at(0).probe.statements.size() == 1);
    CHECK(s.drivers.at(0).remove.statements.size() == 1);
    CHECK(s.components.at(0).bind.present);
    CHECK(s.components.at(0).unbind.present);
}
