#pragma once
// What `check` and `compare` share: the properties a command selects, the
// search settings its options give, and the findings of a search turned
// into replayed, re-judged counterexamples.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "checker/search_options.hpp"
#include "checker/search_result.hpp"
#include "cli/commands.hpp"
#include "counterexamples/render_text.hpp"
#include "model/bind_model.hpp"
#include "properties/property.hpp"

namespace bindcheck::cli {

/// Every property when `names` is empty; nullopt after a one-line error on err for an unknown name.
[[nodiscard]] std::optional<std::vector<properties::PropertyId>> selected_properties(
    const std::vector<std::string>& names, std::ostream& err);

/// The limits, store and threads of `options` (progress is the caller's);
/// nullopt after a one-line error on err.
[[nodiscard]] std::optional<checker::SearchOptions> search_options(const CheckOptions& options, std::ostream& err);

/// Whether the search saw the whole state space (no limit stopped it, no state was cut by depth).
[[nodiscard]] bool explored_completely(const checker::SearchResult<model::BindModel>& result);

/// The counterexample of every selected property the search found, in
/// `selected` order, each replayed from its step codes and judged again at
/// its end; nullopt after "bindcheck: internal error: ..." on err when one
/// does not replay or does not end in its violation.
[[nodiscard]] std::optional<std::vector<counterexamples::Counterexample>> replay_findings(
    const model::BindModel& model, const std::vector<properties::PropertyId>& selected,
    const checker::SearchResult<model::BindModel>& result, std::ostream& err);

} // namespace bindcheck::cli
