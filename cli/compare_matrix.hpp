#pragma once
// The verdict matrix of `bindcheck compare`: one run per scenario, variant
// and granularity, one cell per property; and its three renderings
// (docs/compare.md describes each).

#include <cstdint>
#include <string>
#include <vector>

#include "checker/search_result.hpp"
#include "checker/statistics.hpp"
#include "model/variant.hpp"

namespace bindcheck::cli {

struct CompareCell {
    enum class Verdict { Holds, Violated, Limit } verdict = Verdict::Holds;
    std::size_t steps = 0;  // the shortest counterexample's length, when violated
    std::string trace_file; // where --traces wrote it, or ""
};

struct CompareRun {
    std::size_t scenario = 0; // index into CompareMatrix::scenarios
    std::size_t variant = 0;  // index into CompareMatrix::variants
    std::string granularity;  // "devres" or "call"
    bool complete = true;     // the whole state space was explored
    checker::Limit limit = checker::Limit::None;
    checker::Statistics stats;
    std::vector<CompareCell> cells; // one per CompareMatrix::properties entry
};

struct CompareMatrix {
    std::vector<std::string> scenarios;    // paths as given
    std::vector<model::Variant> variants;  // in the order asked for
    std::vector<std::string> granularities; // "devres", "call"
    std::vector<std::string> properties;   // names, in selection order
    std::vector<CompareRun> runs;          // scenario-major, then variant, then granularity

    [[nodiscard]] bool complete() const;
};

/// Per scenario, a table of properties (rows) by variant and granularity
/// (columns), split into slices of variants that fit 80 columns.
[[nodiscard]] std::string render_compare_text(const CompareMatrix& matrix);
/// The same tables in Markdown, one per scenario, for a cover letter.
[[nodiscard]] std::string render_compare_markdown(const CompareMatrix& matrix);
/// A JSON object with every run's cells and statistics, pretty-printed.
[[nodiscard]] std::string render_compare_json(const CompareMatrix& matrix);

} // namespace bindcheck::cli
