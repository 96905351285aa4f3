// The README shows a compare matrix between "<!-- compare: ARGS -->" and
// "<!-- /compare -->" and claims it is what `bindcheck compare ARGS` prints;
// this test runs the command and holds the README to it.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "cli/app.hpp"
#include "tests/support/run_check.hpp"

namespace {

/// ARGS split at spaces, with a trailing "DIR/*.bind" expanded in name order,
/// as the shell of the README's command would.
std::vector<std::string> expand(const std::string& args) {
    std::vector<std::string> out;
    std::istringstream words(args);
    for (std::string word; words >> word;) {
        const auto star = word.find("*.bind");
        if (star == std::string::npos) {
            out.push_back(word);
            continue;
        }
        const std::string dir = word.substr(0, star);
        std::vector<std::string> matches;
        for (const auto& entry : std::filesystem::directory_iterator(std::string(BINDCHECK_SOURCE_DIR) + "/" + dir))
            if (entry.path().extension() == ".bind") matches.push_back(dir + entry.path().filename().string());
        std::sort(matches.begin(), matches.end());
        out.insert(out.end(), matches.begin(), matches.end());
    }
    return out;
}

} // namespace

TEST_CASE("the README's compare matrix is what its command prints") {
    const std::string readme = bindcheck::testing::read_source_file("README.md");
    const std::string open = "<!-- compare: ";
    const auto begin = readme.find(open);
    REQUIRE(begin != std::string::npos);
    const auto args_end = readme.find(" -->\n", begin);
    const auto close = readme.find("<!-- /compare -->", args_end);
    REQUIRE(args_end != std::string::npos);
    REQUIRE(close != std::string::npos);
    const std::string args = readme.substr(begin + open.size(), args_end - begin - open.size());
    std::string shown = readme.substr(args_end + 5, close - args_end - 5);

    std::vector<std::string> argv{"compare"};
    for (auto& a : expand(args)) argv.push_back(a);
    argv.push_back("--no-progress");
    const auto previous = std::filesystem::current_path();
    std::filesystem::current_path(BINDCHECK_SOURCE_DIR);
    std::ostringstream out, err;
    const int code = bindcheck::cli::run(argv, out, err);
    std::filesystem::current_path(previous);
    CHECK(code == 0);
    // The README nests the per-scenario headings one level deeper.
    std::string printed = out.str();
    for (std::size_t at = 0; (at = printed.find("\n### ", at)) != std::string::npos; at += 5) printed.insert(at + 1, "#");
    CHECK(shown == printed);
}
