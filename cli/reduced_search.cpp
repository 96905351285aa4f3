#include "cli/reduced_search.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <memory>

#include "checker/bfs.hpp"
#include "checker/partial_order.hpp"
#include "model/model_limit.hpp"
#include "model/reducible_model.hpp"
#include "properties/observer.hpp"

namespace bindcheck::cli {
namespace {

template <class M>
checker::SearchResult<model::BindModel> as_bind_result(checker::SearchResult<M>&& r) {
    checker::SearchResult<model::BindModel> out;
    out.outcome = r.outcome;
    out.limit = r.limit;
    out.findings = std::move(r.findings);
    out.stats = r.stats;
    out.depth_truncated = r.depth_truncated;
    return out;
}

// A reduced search can reach a finding by a longer path than the shortest.
// Every path shorter than the one found is in the plain graph within that
// depth, so a plain search bounded by it finds the shortest.
void shorten(const model::BindModel& model, const checker::SearchOptions& options, CheckSearch& search) {
    auto& findings = search.result.findings;
    std::uint64_t bound = 0;
    std::vector<properties::PropertyId> violated;
    for (const checker::Finding& f : findings) {
        if (f.bit == properties::kWaitsForeverBit) {
            // A terminal state is only known as such when expanded: search to its depth.
            bound = std::max<std::uint64_t>(bound, f.steps.size());
            continue;
        }
        violated.push_back(static_cast<properties::PropertyId>(f.bit));
        if (!f.steps.empty()) bound = std::max<std::uint64_t>(bound, f.steps.size() - 1);
    }
    if (bound == 0) return;

    checker::SearchOptions plain = options;
    plain.max_depth = bound;
    plain.on_progress = nullptr;
    if (options.max_seconds != std::numeric_limits<double>::infinity())
        plain.max_seconds = std::max(0.0, options.max_seconds - search.result.stats.seconds);
    properties::PropertyObserver observer(model, violated);
    auto shorter = checker::breadth_first_search(model, observer, plain);
    search.shortening_states = shorter.stats.states;
    search.result.stats.seconds += shorter.stats.seconds;
    search.result.stats.peak_memory_bytes =
        std::max(search.result.stats.peak_memory_bytes, shorter.stats.peak_memory_bytes);
    for (checker::Finding& s : shorter.findings) {
        auto it = std::find_if(findings.begin(), findings.end(),
                               [&](const checker::Finding& f) { return f.bit == s.bit; });
        if (it == findings.end()) {
            findings.push_back(std::move(s)); // cannot happen when the reduction is sound; keep it anyway
            std::sort(findings.begin(), findings.end(),
                      [](const checker::Finding& a, const checker::Finding& b) { return a.bit < b.bit; });
            continue;
        }
        if (s.steps.size() < it->steps.size()) {
            it->steps = std::move(s.steps);
            ++search.shortened;
        }
    }
}

} // namespace

CheckSearch run_check_search(const model::BindModel& model, const std::vector<properties::PropertyId>& selected,
                             const checker::SearchOptions& options, bool reduce) {
    CheckSearch search;
    const bool depth_bounded = options.max_depth != std::numeric_limits<std::uint64_t>::max();
    std::unique_ptr<model::ReducibleBindModel> reducible;
    if (reduce && !depth_bounded) {
        try {
            // Only leak judges non-terminal states; without it nothing needs refusing.
            const bool leak =
                std::find(selected.begin(), selected.end(), properties::PropertyId::Leak) != selected.end();
            reducible = std::make_unique<model::ReducibleBindModel>(model, leak);
        } catch (const model::ModelLimit&) {
            reducible.reset(); // too many shared objects to track: search without reduction
        }
    }
    properties::PropertyObserver observer(model, selected);
    if (!reducible) {
        search.result = checker::breadth_first_search(model, observer, options);
        return search;
    }
    checker::PartialOrderReduction<model::ReducibleBindModel> reduction(*reducible);
    search.result = as_bind_result(checker::breadth_first_search(reduction, observer, options));
    search.reduced = true;
    search.reduced_expansions = reduction.counts().reduced;
    search.reduced_seconds = search.result.stats.seconds;
    shorten(model, options, search);
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
