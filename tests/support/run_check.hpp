#pragma once
// Test support: check a scenario text in process and read the verdicts.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/bfs.hpp"
#include "counterexamples/trace.hpp"
#include "model/bind_model.hpp"
#include "model/scenario_parser.hpp"
#include "properties/observer.hpp"

namespace bindcheck::testing {

struct CheckRun {
    // property name -> shortest counterexample length, for the violated ones
    std::map<std::string, std::size_t> violated;
    bool complete = false; // the whole space was explored
    bool waits_forever = false;
    std::uint64_t states = 0;
    std::map<std::string, std::string> reasons; // property name -> the violation's sentence

    [[nodiscard]] bool holds(const std::string& property) const { return !violated.count(property); }
    [[nodiscard]] std::vector<std::string> violated_names() const {
        std::vector<std::string> names;
        for (const auto& [name, length] : violated) names.push_back(name);
        return names;
    }
};

/// Parses `text` (fails the test with the diagnostic if it does not parse),
/// runs the BFS with every property, replays each counterexample and checks
/// that it ends in its violation. `variant` is a variant spec
/// (model::parse_variant): a preset, then any +POINT=VALUE changes.
CheckRun run_check(const std::string& text, const std::string& variant = "V2",
                   model::Granularity granularity = model::Granularity::Devres,
                   std::uint64_t max_depth = UINT64_MAX);

/// Reads a file below the source tree (e.g. "scenarios/drm-intel-4136.bind").
std::string read_source_file(const std::string& relative_path);

} // namespace bindcheck::testing
