#pragma once
// The pieces of the check's search that the plain-model path
// (reduced_search.cpp) and the symmetric path (symmetric_search.cpp) share:
// building the reducible model, converting a wrapped model's result, and the
// shortening pass. Only those two files include this header.

#include <algorithm>
#include <limits>
#include <memory>
#include <vector>

#include "checker/bfs.hpp"
#include "cli/reduced_search.hpp"
#include "model/model_limit.hpp"
#include "model/reducible_model.hpp"
#include "properties/observer.hpp"

namespace bindcheck::cli::detail {

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

/// The model partial-order reduction runs on, or null when the reduction is
/// off, a depth bound is given (reordered paths can be longer than the
/// bound), or the scenario has too many shared objects to track.
inline std::unique_ptr<model::ReducibleBindModel> make_reducible(const model::BindModel& model,
                                                                 const std::vector<properties::PropertyId>& selected,
                                                                 const checker::SearchOptions& options, bool reduce) {
    if (!reduce || options.max_depth != std::numeric_limits<std::uint64_t>::max()) return nullptr;
    // Only leak judges non-terminal states; without it nothing needs refusing.
    const bool leak = std::find(selected.begin(), selected.end(), properties::PropertyId::Leak) != selected.end();
    try {
        return std::make_unique<model::ReducibleBindModel>(model, leak);
    } catch (const model::ModelLimit&) {
        return nullptr;
    }
}

/// A reduced search can reach a finding by a longer path than the shortest.
/// Every path shorter than the one found is in the unreduced graph within
/// that depth, so a search of `unreduced` (the plain model, or its quotient
/// by symmetry, whose shortest paths are as long) bounded by it finds the
/// shortest.
template <class Unreduced>
void shorten(const Unreduced& unreduced, const model::BindModel& model, const checker::SearchOptions& options,
             CheckSearch& search) {
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
    auto shorter = checker::breadth_first_search(unreduced, observer, plain);
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

} // namespace bindcheck::cli::detail
