#pragma once
// The report of `bindcheck check`: a verdict per property, the shortest
// counterexample of each violated one, notes, and the statistics line.

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "checker/search_result.hpp"
#include "cli/commands.hpp"
#include "counterexamples/render_text.hpp"
#include "model/bind_model.hpp"
#include "properties/property.hpp"

namespace bindcheck::cli {

/// "states 1234  5678/s  depth ..." progress snapshot, with a leading '\r'.
/// `extra` is appended (e.g. what a reduction saved so far).
[[nodiscard]] std::string progress_line(const checker::Progress& progress, std::string_view extra = {});
[[nodiscard]] std::string statistics_line(const checker::Statistics& stats);
/// "variant V1 (9e1ccb4a7700), granularity call\n", then one line per
/// variation point changed from the preset ("  set POINT=VALUE instead of OLD").
[[nodiscard]] std::string variant_lines(const model::Variant& variant, std::string_view granularity);
/// The birthday bound on missed states of a --hash-compact search.
[[nodiscard]] std::string hash_compact_line(const checker::Statistics& stats);

/// Writes the report; returns the exit code. Replays every counterexample
/// and refuses (exit 2, message on err) one that does not reproduce.
int write_check_report(const model::BindModel& model, const CheckOptions& options,
                       const std::vector<properties::PropertyId>& selected,
                       const checker::SearchResult<model::BindModel>& result, std::ostream& out, std::ostream& err,
                       std::vector<counterexamples::Counterexample>* found = nullptr);

} // namespace bindcheck::cli
