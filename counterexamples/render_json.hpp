#pragma once
// Counterexamples as a versioned JSON document that `bindcheck replay` can
// re-execute: the scenario (path and hash of its text), the variant with
// every setting, the granularity, the verdicts, and per violated property
// the schedule of step codes with each step's events. docs/trace-json.md
// describes every field.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "counterexamples/render_text.hpp"

namespace bindcheck::counterexamples {

inline constexpr int kTraceJsonVersion = 1;
inline constexpr std::string_view kTraceJsonFormat = "bindcheck-trace";

struct TraceSource {
    std::string scenario_path; // as given on the command line
    std::string scenario_text; // what was checked; its hash is recorded
};

struct PropertyVerdict {
    std::string property;
    std::string verdict; // "violated", "holds", "not violated in the explored space"
};

/// xxh3-64 of the text, 16 lowercase hex digits.
[[nodiscard]] std::string scenario_hash(std::string_view text);

/// The whole document, pretty-printed, ending in a newline.
[[nodiscard]] std::string render_json(const model::BindModel& model, const TraceSource& source,
                                      const std::vector<PropertyVerdict>& verdicts,
                                      const std::vector<Counterexample>& counterexamples);

/// One event with names instead of indices; fields at their default value are left out.
[[nodiscard]] nlohmann::ordered_json event_json(const model::BindModel& model, const model::Event& event);

/// "probe", "remove", "resume" or "continue".
[[nodiscard]] std::string_view action_name(model::Action action);

} // namespace bindcheck::counterexamples
