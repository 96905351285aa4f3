#pragma once
// The search behind `bindcheck check`: with partial-order reduction unless
// it is switched off, then a plain search bounded by the counterexamples'
// lengths, so that every reported counterexample is still a shortest one.

#include <cstdint>
#include <string>
#include <vector>

#include "checker/search_options.hpp"
#include "checker/search_result.hpp"
#include "model/bind_model.hpp"
#include "properties/property.hpp"

namespace bindcheck::cli {

struct CheckSearch {
    checker::SearchResult<model::BindModel> result; // stats: the reduced search's states
    bool reduced = false;                // partial-order reduction was used
    std::uint64_t reduced_expansions = 0; // states expanded with a proper subset of the threads
    double reduced_seconds = 0.0;         // the reduced search alone
    std::uint64_t shortening_states = 0; // states stored by the plain search that shortens
    std::uint64_t shortened = 0;         // counterexamples it made shorter
};

/// Runs the check's search. The reduction is skipped when `reduce` is false
/// and when a depth bound is given (a reduced search reaches some states
/// only deeper than the plain one, so "every state up to depth D" would
/// no longer hold).
[[nodiscard]] CheckSearch run_check_search(const model::BindModel& model,
                                           const std::vector<properties::PropertyId>& selected,
                                           const checker::SearchOptions& options, bool reduce);

/// "statistics: partial-order reduction ..." for the report, or "" without reduction.
[[nodiscard]] std::string reduction_line(const CheckSearch& search);

} // namespace bindcheck::cli
