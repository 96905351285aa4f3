// check --format json and bindcheck replay: a written trace reproduces its
// violation; an edited one diverges at the step that changed; a malformed
// one is refused in one line with exit code 2.

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.hpp"
#include "tests/support/run_check.hpp"

namespace {

using Json = nlohmann::json;

using Run = bindcheck::testing::CliRun;
using bindcheck::testing::run_bindcheck;

std::string source(const std::string& relative) { return std::string(BINDCHECK_SOURCE_DIR) + "/" + relative; }

std::string read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::size_t line_count(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// The V1 trace of the 4136 scenario, foreign-free and use-after-free, written once.
const std::string& recorded_trace() {
    static const std::string path = [] {
        const std::string p = "/tmp/bindcheck-replay-test.json";
        const Run r = run_bindcheck({"check", source("tests/golden/hda-i915-devres.bind"), "--variant", "V1",
                                     "--property", "foreign-free", "--property", "use-after-free", "--format", "json",
                                     "-o", p, "--no-progress"});
        REQUIRE(r.code == 1);
        REQUIRE(r.out.empty());
        return p;
    }();
    return path;
}

Json recorded_json() { return Json::parse(read(recorded_trace())); }

std::string write_edited(const Json& doc, const std::string& name) {
    const std::string path = "/tmp/bindcheck-replay-test-" + name + ".json";
    std::ofstream(path) << doc.dump(1);
    return path;
}

std::string write_text(const std::string& text, const std::string& name) {
    const std::string path = "/tmp/bindcheck-replay-test-" + name + ".json";
    std::ofstream(path) << text;
    return path;
}

} // namespace

TEST_CASE("check --format json records the scenario, the variant's settings and every violated property's trace") {
    const Json doc = recorded_json();
    CHECK(doc["format"] == "bindcheck-trace");
    CHECK(doc["version"] == 1);
    CHECK(doc["scenario"]["path"] == source("tests/golden/hda-i915-devres.bind"));
    CHECK(doc["scenario"]["xxh3_64"].get<std::string>().size() == 16);
    CHECK(doc["variant"]["name"] == "V1");
    CHECK(doc["variant"]["settings"]["master_group_open"] == "null");
    CHECK(doc["variant"]["settings"]["close_after_bind"] == "absent");
    CHECK(doc["granularity"] == "devres");
    REQUIRE(doc["traces"].size() == 2);
    const Json& trace = doc["traces"][0];
    CHECK(trace["property"] == "foreign-free");
    const Json& last = trace["steps"].back();
    CHECK(last["driver"] == "i915");
    const Json& released = last["events"][trace["violation"]["event"].get<int>() - 1];
    CHECK(released["kind"] == "DevresRelease");
    CHECK(released["touch"] == "DT11");
    CHECK(released["initiator"] == "i915");
    CHECK(released["node"]["log_name"] == "pcim_iomap_release");
    CHECK(released["node"]["owner"] == "snd_hda_intel");

    // Without -o the JSON document is the whole standard output.
    const Run r = run_bindcheck({"check", source("scenarios/drm-intel-4136.bind"), "--variant", "V2", "--granularity",
                                 "call", "--format", "json", "--no-progress"});
    CHECK(r.code == 0);
    const Json holds = Json::parse(r.out);
    CHECK(holds["traces"].empty());
    CHECK(holds["verdicts"][0]["verdict"] == "holds");
}

TEST_CASE("a trace written by check replays to exit 0, every property or the one selected") {
    const Run all = run_bindcheck({"replay", recorded_trace()});
    CHECK(all.code == 0);
    CHECK(all.err.empty());
    CHECK(all.out == recorded_trace() + ": foreign-free (INV-1) reproduced in 27 steps under V1, granularity devres\n" +
                         recorded_trace() +
                         ": use-after-free (INV-2) reproduced in 29 steps under V1, granularity devres\n");
    const Run one = run_bindcheck({"replay", recorded_trace(), "--property", "use-after-free"});
    CHECK(one.code == 0);
    CHECK(line_count(one.out) == 1);
    CHECK(one.out.find("use-after-free (INV-2) reproduced") != std::string::npos);
    const Run none = run_bindcheck({"replay", recorded_trace(), "--property", "leak"});
    CHECK(none.code == 2);
    CHECK(none.err ==
          recorded_trace() + ": error: no trace of property 'leak' (recorded: foreign-free, use-after-free)\n");
}

TEST_CASE("a changed step diverges: not enabled") {
    Json doc = recorded_json();
    // Step 2 becomes "i915 remove": i915 is not bound yet.
    Json& step = doc["traces"][0]["steps"][1];
    step["code"] = 1 + 2 * 256;
    step["driver"] = "i915";
    step["action"] = "remove";
    const Run r = run_bindcheck({"replay", write_edited(doc, "changed"), "--property", "foreign-free"});
    CHECK(r.code == 1);
    CHECK(r.out.find("foreign-free: the run diverges at step 2 (i915 remove) is not enabled in the state the trace "
                     "reaches") != std::string::npos);
}

TEST_CASE("a dropped step diverges at the first step that no longer fits") {
    Json doc = recorded_json();
    auto& steps = doc["traces"][0]["steps"];
    steps.erase(steps.begin() + 1); // snd_hda_intel's first devm
    const Run r = run_bindcheck({"replay", write_edited(doc, "dropped"), "--property", "foreign-free"});
    CHECK(r.code == 1);
    // Step 2 is now the second devm, whose event names hda_intel; the run adds pcim_enable.
    CHECK(r.out.find("the run diverges at step 2 (snd_hda_intel continue): event 1 differs: expected ") !=
          std::string::npos);
    CHECK(r.out.find("\"resource\":\"hda_intel\"") != std::string::npos);
    CHECK(r.out.find("\"resource\":\"pcim_enable\"") != std::string::npos);
}

TEST_CASE("a changed event diverges at its step, naming expected and actual") {
    Json doc = recorded_json();
    auto& steps = doc["traces"][0]["steps"];
    const std::size_t last = steps.size();
    steps.back()["events"][1]["node"]["owner"] = "i915";
    const Run r = run_bindcheck({"replay", write_edited(doc, "event"), "--property", "foreign-free"});
    CHECK(r.code == 1);
    CHECK(r.out.find("at step " + std::to_string(last) + " (i915 continue): event 2 differs: expected ") !=
          std::string::npos);
    CHECK(r.out.find("\"owner\":\"i915\"") != std::string::npos);
    CHECK(r.out.find("\"owner\":\"snd_hda_intel\"") != std::string::npos);

    Json extra = recorded_json();
    extra["traces"][0]["steps"][0]["events"].push_back(Json{{"kind", "Warn"}});
    const Run more = run_bindcheck({"replay", write_edited(extra, "extra"), "--property", "foreign-free"});
    CHECK(more.code == 1);
    CHECK(
        more.out.find("at step 1 (snd_hda_intel probe): event 2 differs: expected {\"kind\":\"Warn\"}, got no event") !=
        std::string::npos);
}

TEST_CASE("a trace cut before its violation does not reproduce it") {
    Json doc = recorded_json();
    auto& steps = doc["traces"][0]["steps"];
    steps.erase(steps.end() - 1);
    const Run r = run_bindcheck({"replay", write_edited(doc, "cut"), "--property", "foreign-free"});
    CHECK(r.code == 1);
    CHECK(r.out.find("the run diverges after step " + std::to_string(steps.size()) +
                     ": foreign-free is not violated") != std::string::npos);
}

TEST_CASE("another scenario text diverges before the first step; --scenario names the file") {
    const std::string copy = "/tmp/bindcheck-replay-test-scenario.bind";
    const std::string text = bindcheck::testing::read_source_file("tests/golden/hda-i915-devres.bind");
    std::ofstream(copy) << text;
    const Run same = run_bindcheck({"replay", recorded_trace(), "--scenario", copy});
    CHECK(same.code == 0);
    std::ofstream(copy) << text << "# one more comment\n";
    const Run changed = run_bindcheck({"replay", recorded_trace(), "--scenario", copy});
    CHECK(changed.code == 1);
    CHECK(changed.out.find("the run diverges: " + copy + " is not the scenario text the trace was recorded on") !=
          std::string::npos);
    const Run missing = run_bindcheck({"replay", recorded_trace(), "--scenario", "/nonexistent/x.bind"});
    CHECK(missing.code == 2);
    CHECK(missing.err == "/nonexistent/x.bind: error: cannot read file: No such file or directory\n");
}

TEST_CASE("a malformed trace is refused in one line with exit code 2") {
    const std::string text = read(recorded_trace());
    struct Case {
        std::string name;
        std::string file;
        std::string error; // the expected line after "FILE" (starting with ':')
    };
    std::vector<Case> cases;
    cases.push_back({"truncated", write_text(text.substr(0, 300), "truncated"), ":"});
    cases.push_back(
        {"not-json", write_text("{\n  \"format\": bindcheck\n}\n", "not-json"), ":2:13: error: not JSON: "});
    auto edited = [&](const std::string& name, auto edit) {
        Json doc = Json::parse(text);
        edit(doc);
        return write_edited(doc, name);
    };
    cases.push_back({"version", edited("version", [](Json& d) { d["version"] = 2; }),
                     ": error: trace format version 2 is not supported (this bindcheck reads version 1)\n"});
    cases.push_back({"format", edited("format", [](Json& d) { d["format"] = "other"; }),
                     ": error: format: not a bindcheck trace (expected \"bindcheck-trace\")\n"});
    cases.push_back({"missing-code", edited("missing-code", [](Json& d) { d["traces"][0]["steps"][3].erase("code"); }),
                     ": error: missing field traces[0].steps[3].code\n"});
    cases.push_back({"missing-settings",
                     edited("missing-settings", [](Json& d) { d["variant"]["settings"].erase("close_after_bind"); }),
                     ": error: missing field variant.settings.close_after_bind\n"});
    cases.push_back({"code-type", edited("code-type", [](Json& d) { d["traces"][0]["steps"][0]["code"] = "256"; }),
                     ": error: traces[0].steps[0].code: expected an integer from 0 to 4294967295\n"});
    cases.push_back({"steps-type", edited("steps-type", [](Json& d) { d["traces"][1]["steps"] = Json::object(); }),
                     ": error: traces[1].steps: expected an array\n"});
    cases.push_back({"event-type", edited("event-type", [](Json& d) { d["traces"][0]["steps"][0]["events"][0] = 3; }),
                     ": error: traces[0].steps[0].events[0]: expected an object\n"});
    cases.push_back(
        {"document-type", write_text("[1, 2]\n", "document-type"), ": error: the document is not an object\n"});
    cases.push_back({"half-edited",
                     edited("half-edited", [](Json& d) { d["traces"][0]["steps"][1]["driver"] = "i915"; }),
                     ": error: traces[0].steps[1]: code 0 means snd_hda_intel continue choices 0, but the step says "
                     "i915 continue choices 0\n"});
    cases.push_back({"bad-code", edited("bad-code", [](Json& d) { d["traces"][0]["steps"][1]["code"] = 9 * 256; }),
                     ": error: traces[0].steps[1].code: 2304 is no step of this scenario\n"});
    cases.push_back({"setting",
                     edited("setting", [](Json& d) { d["variant"]["settings"]["close_after_bind"] = "sometimes"; }),
                     ": error: variant.settings.close_after_bind: unknown value 'sometimes'"});
    cases.push_back({"property", edited("property", [](Json& d) { d["traces"][0]["property"] = "nonsense"; }),
                     ": error: traces[0].property: unknown property 'nonsense'\n"});
    cases.push_back(
        {"missing-file", "/nonexistent/trace.json", ": error: cannot read file: No such file or directory\n"});
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const Run r = run_bindcheck({"replay", c.file});
        CHECK(r.code == 2);
        CHECK(r.out.empty());
        CHECK(line_count(r.err) == 1);
        CHECK_MESSAGE(r.err.rfind(c.file + c.error, 0) == 0, r.err);
    }
    // A truncated document: its line and column, then the parser's words.
    const Run truncated = run_bindcheck({"replay", cases[0].file});
    CHECK(truncated.err.find(": error: not JSON: ") != std::string::npos);
    const std::string position = truncated.err.substr(cases[0].file.size() + 1);
    CHECK(std::isdigit(static_cast<unsigned char>(position[0])));
}
