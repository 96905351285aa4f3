#include "cli/reduced_search.hpp"

#include <cstdio>
#include <memory>

#include "checker/partial_order.hpp"
#include "cli/reduced_search_steps.hpp"

namespace bindcheck::cli {

CheckSearch run_check_search(const model::BindModel& model, const std::vector<properties::PropertyId>& selected,
                             const checker::SearchOptions& options, bool reduce) {
    CheckSearch search;
    const std::unique_ptr<model::ReducibleBindModel> reducible = detail::make_reducible(model, selected, options, reduce);
    properties::PropertyObserver observer(model, selected);
    if (!reducible) {
        search.result = checker::breadth_first_search(model, observer, options);
        return search;
    }
    checker::PartialOrderReduction<model::ReducibleBindModel> reduction(*reducible);
    search.result = detail::as_bind_result(checker::breadth_first_search(reduction, observer, options));
    search.reduced = true;
    search.reduced_expansions = reduction.counts().reduced;
    search.reduced_seconds = search.result.stats.seconds;
    detail::shorten(model, model, options, search);
    return search;
}

std::string reduction_line(const CheckSearch& search) {
    if (!search.reduced) return "";
    char line[200];
    std::snprintf(line, sizeof line,
                  "statistics: partial-order reduction: states above are those stored (%llu expansions reduced, "
                  "%.2f s)",
                  static_cast<unsigned long long>(search.reduced_expansions), search.reduced_seconds);
    std::string text = line;
    if (search.shortening_states > 0) {
        std::snprintf(line, sizeof line, "; shortest traces checked by a plain search of %llu states (%llu shortened)",
                      static_cast<unsigned long long>(search.shortening_states),
                      static_cast<unsigned long long>(search.shortened));
        text += line;
    }
    return text;
}

} // namespace bindcheck::cli
