#pragma once
// The report of `bindcheck check`: a verdict per property, the shortest
// counterexample of each violated one, notes, and the statistics line.

#include <iosfwd>
#include <string>
#include <vector>

#include "checker/search_result.hpp"
#include "cli/commands.hpp"
#include "model/bind_model.hpp"
#include "properties/property.hpp"

namespace bindcheck::cli {

/// "states 1,234  transitions ..." progress snapshot, with a leading '\r'.
[[nodiscard]] std::string progress_line(const checker::Progress& progress);
[[nodiscard]] std::string statistics_line(const checker::Statistics& stats);

/// Writes the report; returns the exit code. Replays every counterexample
/// and refuses (exit 2, message on err) one that does not reproduce.
int write_check_report(const model::BindModel& model, const CheckOptions& options,
                       const std::vector<properties::PropertyId>& selected,
                       const checker::SearchResult<model::BindModel>& result, std::ostream& out, std::ostream& err);

} // namespace bindcheck::cli
