// bindcheck compare: the verdict matrix of the shipped scenarios (golden,
// text and Markdown), its JSON document, trace files, limits and bad input.
// Golden files are rewritten only when BINDCHECK_UPDATE_GOLDEN is set.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/run_cli.hpp"
#include "tests/support/run_check.hpp"

namespace {

using Run = bindcheck::testing::CliRun;
using bindcheck::testing::run_bindcheck;

std::string source(const std::string& relative) { return std::string(BINDCHECK_SOURCE_DIR) + "/" + relative; }

std::string relative_paths(std::string text) {
    const std::string prefix = std::string(BINDCHECK_SOURCE_DIR) + "/";
    for (std::size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
    return text;
}

void check_golden(const std::string& golden, const std::string& actual) {
    if (std::getenv("BINDCHECK_UPDATE_GOLDEN")) {
        std::ofstream(source("tests/golden/" + golden)) << actual;
        return;
    }
    CHECK(actual == bindcheck::testing::read_source_file("tests/golden/" + golden));
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The scenarios shipped with the first release of compare; named, so that
// a new scenario does not silently change these goldens.
const std::vector<std::string> kShipped = {"scenarios/bind-failure-rollback.bind", "scenarios/display-aggregate.bind",
                                           "scenarios/drm-intel-4136.bind"};

std::vector<std::string> compare_args(std::vector<std::string> options) {
    std::vector<std::string> args = {"compare"};
    for (const std::string& path : kShipped) args.push_back(source(path));
    args.insert(args.end(), options.begin(), options.end());
    args.push_back("--no-progress");
    return args;
}

std::string temporary_directory(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(dir);
    return dir.string();
}

} // namespace

TEST_CASE("compare prints every shipped scenario under every preset at both granularities") {
    const Run r = run_bindcheck(compare_args({}));
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) CHECK_MESSAGE(line.size() <= 80, line);
    check_golden("compare.shipped.txt", relative_paths(r.out));
}

TEST_CASE("compare --format md gives the cover letter's tables") {
    const Run r = run_bindcheck(compare_args({"--variants", "v5.15,v5.16", "--format", "md"}));
    CHECK(r.code == 0);
    CHECK(r.out.find("| property | V1 devres | V1 call | V2 devres | V2 call |\n| --- | ---: | ---: | ---: | ---: |\n") !=
          std::string::npos);
    check_golden("compare.shipped.md", relative_paths(r.out));
}

TEST_CASE("compare cells agree with check, also for a variant with a changed point") {
    const std::string seed = source("scenarios/drm-intel-4136.bind");
    const Run r = run_bindcheck({"compare", seed, "--variants", "V2,V2+close_after_bind=absent", "--granularity", "call",
                                 "--property", "foreign-free", "--property", "open-group", "--no-progress"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("                V2     V2+close_after_bind=absent\n"
                     "                call   call\n"
                     "  foreign-free  holds  7\n"
                     "  open-group    holds  4\n") != std::string::npos);
    const Run check = run_bindcheck({"check", seed, "--variant", "V2", "--set", "close_after_bind=absent",
                                     "--granularity", "call", "--property", "foreign-free", "--no-progress"});
    CHECK(check.code == 1);
    CHECK(check.out.find("foreign-free      INV-1          VIOLATED, shortest trace 7 steps") != std::string::npos);
}

TEST_CASE("compare --format json lists every run's verdicts and writes the traces it names") {
    const std::string dir = temporary_directory("bindcheck-compare-test-traces");
    const std::string seed = source("scenarios/drm-intel-4136.bind");
    const Run r = run_bindcheck({"compare", seed, "--variants", "V1,V2", "--set", "release_at_take_down=master",
                                 "--granularity", "call", "--format", "json", "--traces", dir, "--no-progress"});
    REQUIRE(r.code == 0);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc.at("format") == "bindcheck-compare");
    CHECK(doc.at("version") == 1);
    CHECK(doc.at("complete") == true);
    CHECK(doc.at("scenarios") == nlohmann::json::array({seed}));
    CHECK(doc.at("granularities") == nlohmann::json::array({"call"}));
    REQUIRE(doc.at("properties").size() == 9);
    CHECK(doc.at("properties")[0] == "foreign-free");
    REQUIRE(doc.at("variants").size() == 2);
    const auto& v1 = doc.at("variants")[0];
    CHECK(v1.at("name") == "V1+release_at_take_down=master");
    CHECK(v1.at("preset") == "V1");
    CHECK(v1.at("commit") == "9e1ccb4a7700");
    CHECK(v1.at("settings").at("release_at_take_down") == "master");
    CHECK(v1.at("settings").at("master_group_open") == "null");
    CHECK(doc.at("variants")[1].at("name") == "V2"); // the override changes nothing there

    REQUIRE(doc.at("runs").size() == 2);
    for (const auto& run : doc.at("runs")) {
        CAPTURE(run.dump());
        CHECK(run.at("scenario") == seed);
        CHECK(run.at("granularity") == "call");
        CHECK(run.at("complete") == true);
        CHECK(run.at("stopped_by").is_null());
        CHECK(run.at("statistics").at("states").get<std::uint64_t>() > 0);
        CHECK(run.at("statistics").contains("seconds"));
        REQUIRE(run.at("verdicts").size() == 9);
        for (const auto& [property, verdict] : run.at("verdicts").items()) {
            const std::string v = verdict.at("verdict");
            CHECK((v == "holds" || v == "violated"));
            CHECK(verdict.contains("steps") == (v == "violated"));
            CHECK(verdict.contains("trace_file") == (v == "violated"));
        }
    }
    // V1 with the take-down by id: no foreign free, and the lookup WARNs (spec 1.3).
    const auto& v1_run = doc.at("runs")[0].at("verdicts");
    CHECK(v1_run.at("foreign-free").at("verdict") == "holds");
    CHECK(v1_run.at("devres-warn").at("steps") == 6);
    const std::string warn_file = v1_run.at("devres-warn").at("trace_file");
    CHECK(std::filesystem::path(warn_file).filename() ==
          "drm-intel-4136.V1+release_at_take_down=master.call.devres-warn.txt");
    const std::string trace = read_file(warn_file);
    CHECK(trace.rfind("devres-warn (INV-6, INV-7) violated under V1+release_at_take_down=master, 6 steps:", 0) == 0);
    CHECK(trace.find("WARN: devres group not found at DT11 on hda") != std::string::npos);
    for (const auto& [property, verdict] : doc.at("runs")[1].at("verdicts").items()) CHECK(verdict.at("verdict") == "holds");
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
    CHECK(files == 3); // V1's open-group, group-provenance and devres-warn; V2 holds throughout
    std::filesystem::remove_all(dir);
}

TEST_CASE("compare --trace-format json writes traces that replay, also under a changed variant") {
    const std::string dir = temporary_directory("bindcheck-compare-test-json-traces");
    const std::string seed = source("scenarios/drm-intel-4136.bind");
    const Run r = run_bindcheck({"compare", seed, "--variants", "V2+close_after_bind=absent", "--granularity", "call",
                                 "--property", "foreign-free", "--traces", dir, "--trace-format", "json",
                                 "--no-progress"});
    REQUIRE(r.code == 0);
    const std::string file = dir + "/drm-intel-4136.V2+close_after_bind=absent.call.foreign-free.json";
    const auto trace = nlohmann::json::parse(read_file(file));
    CHECK(trace.at("format") == "bindcheck-trace");
    CHECK(trace.at("variant").at("name") == "V2+close_after_bind=absent");
    const Run replayed = run_bindcheck({"replay", file});
    CHECK(replayed.code == 0);
    CHECK(replayed.out.find("foreign-free (INV-1) reproduced in 7 steps under V2+close_after_bind=absent") !=
          std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a run stopped by a limit shows limit cells and exit code 3") {
    const std::string seed = source("scenarios/drm-intel-4136.bind");
    const Run r = run_bindcheck({"compare", seed, "--variants", "V2", "--granularity", "call", "--max-states", "10",
                                 "--no-progress"});
    CHECK(r.code == 3);
    CHECK(r.out.find("  foreign-free      limit\n") != std::string::npos);
    CHECK(r.out.find("  V2 call: stopped by the state limit (--max-states) at depth ") != std::string::npos);
    const Run json = run_bindcheck({"compare", seed, "--variants", "V2", "--granularity", "call", "--max-states", "10",
                                    "--format", "json", "--no-progress"});
    CHECK(json.code == 3);
    const auto doc = nlohmann::json::parse(json.out);
    CHECK(doc.at("complete") == false);
    CHECK(doc.at("runs")[0].at("stopped_by") == "states");
    CHECK(doc.at("runs")[0].at("verdicts").at("leak").at("verdict") == "limit");
}

TEST_CASE("compare refuses bad input with one line and exit code 2 before any search") {
    const std::string seed = source("scenarios/drm-intel-4136.bind");
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--variants", "V1,V9"}, "bindcheck: error: unknown variant 'V9'"},
        {{"--variants", "V2+close_after_bind=maybe"}, "bindcheck: error: in variant 'V2+close_after_bind=maybe': unknown value 'maybe'"},
        {{"--set", "closing=null"}, "bindcheck: error: --set closing=null: unknown variation point 'closing'"},
        {{"--variants", ","}, "bindcheck: error: --variants names no variant"},
        {{"--property", "nonsense"}, "bindcheck: error: unknown property 'nonsense'"},
        {{"--format", "html"}, "bindcheck: error: "},
        {{"--granularity", "fine"}, "bindcheck: error: "},
    };
    for (const auto& [options, message] : cases) {
        std::vector<std::string> args = {"compare", seed};
        args.insert(args.end(), options.begin(), options.end());
        CAPTURE(message);
        const Run r = run_bindcheck(args);
        CHECK(r.code == 2);
        CHECK(r.out.empty());
        CHECK(r.err.rfind(message, 0) == 0);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    const Run missing = run_bindcheck({"compare", seed, "/nonexistent/x.bind"});
    CHECK(missing.code == 2);
    CHECK(missing.out.empty());
    CHECK(missing.err == "/nonexistent/x.bind: error: cannot read file: No such file or directory\n");
}
