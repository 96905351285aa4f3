// Whole runs of the bindcheck command: exit codes, the report's shape, and
// golden traces. Golden files are rewritten only when BINDCHECK_UPDATE_GOLDEN
// is set; review their diff in the commit that changes them.

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/support/run_cli.hpp"
#include "tests/support/run_check.hpp"

namespace {

using Run = bindcheck::testing::CliRun;
using bindcheck::testing::run_bindcheck;

std::string source(const std::string& relative) { return std::string(BINDCHECK_SOURCE_DIR) + "/" + relative; }

// The report without its statistics line, which holds times and memory.
std::string without_statistics(const std::string& report) {
    std::istringstream in(report);
    std::string kept;
    for (std::string line; std::getline(in, line);)
        if (line.rfind("statistics: ", 0) != 0) kept += line + "\n";
    return kept;
}

std::string relative_paths(std::string text) {
    const std::string prefix = std::string(BINDCHECK_SOURCE_DIR) + "/";
    for (std::size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
    return text;
}

void check_golden(const std::string& golden, const std::string& actual) {
    const std::string path = source("tests/golden/" + golden);
    if (std::getenv("BINDCHECK_UPDATE_GOLDEN")) {
        std::ofstream(path) << actual;
        return;
    }
    CHECK(actual == bindcheck::testing::read_source_file("tests/golden/" + golden));
}

} // namespace

TEST_CASE("the V1 4136 run prints i915's component_del releasing snd_hda_intel's pcim_iomap") {
    auto r = run_bindcheck({"check", source("scenarios/drm-intel-4136.bind"), "--variant", "V1", "--property",
                        "foreign-free", "--no-progress"});
    CHECK(r.code == 1);
    CHECK(r.err.empty());
    CHECK(r.out.find("component_del(i915_audio) > take_down_master(audio):") != std::string::npos);
    CHECK(r.out.find(">>  hda: REL pcim_iomap (48 bytes) of snd_hda_intel") != std::string::npos);
    CHECK(r.out.find("owner: snd_hda_intel    initiator: i915") != std::string::npos);
    CHECK(r.out.find("\nstatistics: states ") != std::string::npos);
    check_golden("drm-intel-4136.V1.foreign-free.txt", relative_paths(without_statistics(r.out)));
}

TEST_CASE("the V1 4136 run at call granularity is run B of the spec in seven steps") {
    auto r = run_bindcheck({"check", source("scenarios/drm-intel-4136.bind"), "--variant", "v5.15", "--granularity",
                        "call", "--no-progress"});
    CHECK(r.code == 1);
    check_golden("drm-intel-4136.V1.call.txt", relative_paths(without_statistics(r.out)));
}

TEST_CASE("under V2 at call granularity every property holds on the 4136 scenario") {
    auto r = run_bindcheck({"check", source("scenarios/drm-intel-4136.bind"), "--variant", "V2", "--granularity", "call",
                        "--no-progress"});
    CHECK(r.code == 0);
    CHECK(r.out.find("VIOLATED") == std::string::npos);
    CHECK(r.out.find("\nstatistics: states ") != std::string::npos);
}

TEST_CASE("under V2 at devres granularity the completion-window race of spec 4.3 is found") {
    auto r = run_bindcheck({"check", source("scenarios/drm-intel-4136.bind"), "--variant", "v5.16", "--property",
                        "foreign-free", "--no-progress"});
    CHECK(r.code == 1);
    // hda's iomap lands between DT1 (by i915's thread) and the post-bind close.
    const auto open = r.out.find("DT1 devres_open_group(hda, audio)");
    const auto iomap = r.out.find("snd_hda_intel probe: devm pcim_iomap on hda");
    const auto close = r.out.find("post-bind close devres_close_group(hda, NULL)");
    REQUIRE(open != std::string::npos);
    REQUIRE(iomap != std::string::npos);
    REQUIRE(close != std::string::npos);
    CHECK(open < iomap);
    CHECK(iomap < close);
    CHECK(r.out.find(">>  hda: REL pcim_iomap (48 bytes) of snd_hda_intel") != std::string::npos);
}

TEST_CASE("a search bounded below the shortest length stops with exit code 3") {
    auto r = run_bindcheck({"check", source("scenarios/drm-intel-4136.bind"), "--variant", "V1", "--property",
                        "foreign-free", "--max-depth", "23", "--no-progress"});
    CHECK(r.code == 3);
    CHECK(r.out.find("not violated in the explored space") != std::string::npos);
    CHECK(r.out.find("stopped: --max-depth 23 reached") != std::string::npos);
    auto states = run_bindcheck({"check", source("scenarios/drm-intel-4136.bind"), "--variant", "V2", "--granularity",
                             "call", "--max-states", "10", "--no-progress"});
    CHECK(states.code == 3);
    CHECK(states.out.find("stopped: --max-states 10 reached") != std::string::npos);
}

TEST_CASE("bad input is one line on standard error and exit code 2") {
    auto variant = run_bindcheck({"check", source("scenarios/drm-intel-4136.bind"), "--variant", "V9"});
    CHECK(variant.code == 2);
    CHECK(variant.err.rfind("bindcheck: error: unknown variant 'V9'", 0) == 0);
    auto property = run_bindcheck({"check", source("scenarios/drm-intel-4136.bind"), "--property", "nonsense"});
    CHECK(property.code == 2);
    CHECK(property.err == "bindcheck: error: unknown property 'nonsense' (see: bindcheck list properties)\n");
    auto missing = run_bindcheck({"check", "/nonexistent/x.bind"});
    CHECK(missing.code == 2);
    CHECK(missing.err == "/nonexistent/x.bind: error: cannot read file: No such file or directory\n");
    auto usage = run_bindcheck({"check"});
    CHECK(usage.code == 2);
    CHECK(usage.err.rfind("bindcheck: error: ", 0) == 0);
    auto granularity = run_bindcheck({"check", source("scenarios/drm-intel-4136.bind"), "--granularity", "fine"});
    CHECK(granularity.code == 2);
}

TEST_CASE("a malformed scenario reports file, line and column") {
    const std::string path = "/tmp/bindcheck-cli-test-malformed.bind";
    std::ofstream(path) << "device hda \"0000:00:1f.3\"\ndriver x on hda {\n  probe { devm }\n}\n";
    auto r = run_bindcheck({"check", path});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind(path + ":3:", 0) == 0);
    CHECK(r.err.find("error: ") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("list names every variant and every property with its invariant") {
    auto variants = run_bindcheck({"list", "variants"});
    CHECK(variants.code == 0);
    for (const char* name : {"V0", "V1 (v5.15)", "V2 (v5.16, rfc)", "V3", "V4 (v6.16, mainline)", "9e1ccb4a7700",
                             "c87761db2100"})
        CHECK(variants.out.find(name) != std::string::npos);
    auto properties = run_bindcheck({"list", "properties"});
    CHECK(properties.code == 0);
    for (const char* name : {"foreign-free", "framework-free", "use-after-free", "bind-scope", "open-group",
                             "group-provenance", "devres-warn", "double-release", "leak", "INV-1 ", "INV-15"})
        CHECK(properties.out.find(name) != std::string::npos);
}

TEST_CASE("simulate follows a schedule and prints the events of one run") {
    auto r = run_bindcheck({"simulate", source("scenarios/drm-intel-4136.bind"), "--variant", "V1", "--granularity",
                        "call", "--schedule",
                        "snd_hda_intel:probe,snd_hda_intel,i915:probe,i915,snd_hda_intel,i915:remove,i915,"
                        "snd_hda_intel:resume,snd_hda_intel"});
    CHECK(r.code == 0);
    CHECK(r.out.find("uses pcim_iomap (RELEASED)") != std::string::npos);
    CHECK(r.out.find("use-after-free") != std::string::npos);
    auto bad = run_bindcheck({"simulate", source("scenarios/drm-intel-4136.bind"), "--schedule", "i915:remove"});
    CHECK(bad.code == 2);
    CHECK(bad.err.rfind("bindcheck: error: schedule item 1 'i915:remove' is not enabled here", 0) == 0);
}
