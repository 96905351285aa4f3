// The search engine's command-line options: --store, --hash-compact,
// --threads and --max-memory change how the search runs, never what the
// report says (beyond its statistics), and bad values are usage errors.

#include <doctest/doctest.h>

#include <sstream>

#include "tests/support/run_cli.hpp"
#include "cli/memory_size.hpp"

namespace {

using Run = bindcheck::testing::CliRun;
using bindcheck::testing::run_bindcheck;

std::string source(const std::string& relative) { return std::string(BINDCHECK_SOURCE_DIR) + "/" + relative; }

// The report without the lines that hold times, memory and store details.
std::string without_statistics(const std::string& report) {
    std::istringstream in(report);
    std::string kept;
    for (std::string line; std::getline(in, line);)
        if (line.rfind("statistics:", 0) != 0 && line.rfind("hash compaction:", 0) != 0) kept += line + "\n";
    return kept;
}

std::vector<std::string> check_args(std::vector<std::string> extra) {
    std::vector<std::string> args{"check", source("scenarios/drm-intel-4136.bind"), "--variant", "V1", "--no-progress"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

TEST_CASE("engine options: every store and thread count gives the same report") {
    const Run reference = run_bindcheck(check_args({"--store", "exact"}));
    REQUIRE(reference.code == 1); // V1 violates
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{"--store", "tree"}, {"--threads", "2"}, {"--threads", "3", "--store", "exact"},
          {"--hash-compact"}, {"--store", "hash-compact", "--threads", "2"}, {"--max-memory", "1G"}}) {
        CAPTURE(extra.front());
        const Run run = run_bindcheck(check_args(extra));
        CHECK(run.code == reference.code);
        CHECK(without_statistics(run.out) == without_statistics(reference.out));
    }
}

TEST_CASE("engine options: hash compaction reports its omission bound") {
    const Run run = run_bindcheck(check_args({"--hash-compact"}));
    CHECK(run.out.find("hash compaction: states kept as 64-bit fingerprints; probability that a state was missed <= ") !=
          std::string::npos);
    const Run exact = run_bindcheck(check_args({}));
    CHECK(exact.out.find("hash compaction:") == std::string::npos);
}

TEST_CASE("engine options: a memory budget stops the search with exit code 3") {
    const Run run = run_bindcheck({"check", source("scenarios/drm-intel-4136.bind"), "--variant", "V2",
                                   "--granularity", "devres", "--no-por", "--no-progress", "--max-memory", "300K"});
    CHECK(run.code == 3);
    CHECK(run.out.find("stopped: --max-memory 300K reached") != std::string::npos);
}

TEST_CASE("engine options: bad values are usage errors") {
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{"--max-memory", "lots"}, {"--max-memory", "0"}, {"--max-memory", "2X"},
          {"--threads", "0"}, {"--store", "disk"}}) {
        CAPTURE(extra.back());
        const Run run = run_bindcheck(check_args(extra));
        CHECK(run.code == 2);
        CHECK(run.err.rfind("bindcheck: error: ", 0) == 0);
        CHECK(run.err.find('\n') == run.err.size() - 1);
    }
}

TEST_CASE("memory sizes") {
    using bindcheck::cli::parse_memory_size;
    CHECK(parse_memory_size("512M") == 512ULL << 20);
    CHECK(parse_memory_size("2G") == 2ULL << 30);
    CHECK(parse_memory_size("2gib") == 2ULL << 30);
    CHECK(parse_memory_size("1.5G") == 3ULL << 29);
    CHECK(parse_memory_size("4096K") == 4ULL << 20);
    CHECK(parse_memory_size("1T") == 1ULL << 40);
    CHECK(parse_memory_size("100000") == 100000ULL);
    CHECK(parse_memory_size("100000B") == 100000ULL);
    CHECK_FALSE(parse_memory_size("").has_value());
    CHECK_FALSE(parse_memory_size("G").has_value());
    CHECK_FALSE(parse_memory_size("0").has_value());
    CHECK_FALSE(parse_memory_size("-1G").has_value());
    CHECK_FALSE(parse_memory_size("1Q").has_value());
    CHECK_FALSE(parse_memory_size("1GG").has_value());
    CHECK_FALSE(parse_memory_size("99999999999T").has_value());
    const auto budget = bindcheck::cli::default_memory_budget();
    if (budget) CHECK(*budget > 0);
}

} // namespace
