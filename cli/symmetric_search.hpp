#pragma once
// The check's search with symmetry reduction between clone drivers
// (model/symmetry.hpp) on top of run_check_search: when the scenario has
// interchangeable drivers, the search stores one state per orbit (with or
// without partial-order reduction), and its counterexamples are turned back
// into runs of the model itself before anyone replays them.

#include <string>
#include <vector>

#include "checker/search_options.hpp"
#include "cli/reduced_search.hpp"
#include "model/bind_model.hpp"
#include "properties/property.hpp"

namespace bindcheck::cli {

struct SymmetricCheckSearch {
    CheckSearch search;
    bool symmetric = false;      // the search stored one state per orbit
    std::string symmetry_line;   // "statistics: symmetry: ..." or ""
};

/// run_check_search, with symmetry reduction unless `symmetry` is false or
/// the scenario has no interchangeable drivers.
[[nodiscard]] SymmetricCheckSearch run_symmetric_check_search(const model::BindModel& model,
                                                              const std::vector<properties::PropertyId>& selected,
                                                              const checker::SearchOptions& options, bool reduce,
                                                              bool symmetry);

} // namespace bindcheck::cli
