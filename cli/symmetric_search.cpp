#include "cli/symmetric_search.hpp"

#include <algorithm>
#include <limits>
#include <memory>

#include "checker/bfs.hpp"
#include "checker/partial_order.hpp"
#include "model/model_limit.hpp"
#include "model/reducible_model.hpp"
#include "model/symmetric_model.hpp"
#include "model/symmetry.hpp"
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

// As in reduced_search.cpp: a plain (here: symmetric) search bounded by the
// reduced search's counterexamples finds the shortest ones. Orbits keep
// depths (the initial state is fixed by every renaming), so the quotient's
// shortest paths are as long as the model's.
void shorten(const model::SymmetricModel<model::BindModel>& symmetric, const model::BindModel& model,
             const checker::SearchOptions& options, CheckSearch& search) {
    auto& findings = search.result.findings;
    std::uint64_t bound = 0;
    std::vector<properties::PropertyId> violated;
    for (const checker::Finding& f : findings) {
        if (f.bit == properties::kWaitsForeverBit) {
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
    auto shorter = checker::breadth_first_search(symmetric, observer, plain);
    search.shortening_states = shorter.stats.states;
    search.result.stats.seconds += shorter.stats.seconds;
    search.result.stats.peak_memory_bytes =
        std::max(search.result.stats.peak_memory_bytes, shorter.stats.peak_memory_bytes);
    for (checker::Finding& s : shorter.findings) {
        auto it = std::find_if(findings.begin(), findings.end(),
                               [&](const checker::Finding& f) { return f.bit == s.bit; });
        if (it == findings.end()) {
            findings.push_back(std::move(s));
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

std::string notes_line(const model::Symmetry& symmetry) {
    std::string line;
    for (const std::string& note : symmetry.notes()) line += (line.empty() ? "" : "; ") + note;
    return line;
}

} // namespace

SymmetricCheckSearch run_symmetric_check_search(const model::BindModel& model,
                                                const std::vector<properties::PropertyId>& selected,
                                                const checker::SearchOptions& options, bool reduce, bool symmetry) {
    SymmetricCheckSearch out;
    const model::Symmetry groups(model, symmetry);
    if (!groups.active()) {
        out.search = run_check_search(model, selected, options, reduce);
        if (!groups.notes().empty()) out.symmetry_line = "statistics: symmetry: none used: " + notes_line(groups);
        return out;
    }
    out.symmetric = true;
    out.symmetry_line = "statistics: symmetry: states above are one per orbit of " + groups.describe();
    if (!groups.notes().empty()) out.symmetry_line += "; " + notes_line(groups);

    CheckSearch& search = out.search;
    const model::SymmetricModel<model::BindModel> symmetric(model, groups);
    const bool depth_bounded = options.max_depth != std::numeric_limits<std::uint64_t>::max();
    std::unique_ptr<model::ReducibleBindModel> reducible;
    if (reduce && !depth_bounded) {
        try {
            reducible = std::make_unique<model::ReducibleBindModel>(model);
        } catch (const model::ModelLimit&) {
            reducible.reset();
        }
    }
    properties::PropertyObserver observer(model, selected);
    if (!reducible) {
        search.result = as_bind_result(checker::breadth_first_search(symmetric, observer, options));
    } else {
        const model::SymmetricModel<model::ReducibleBindModel> symmetric_reducible(*reducible, groups);
        checker::PartialOrderReduction<model::SymmetricModel<model::ReducibleBindModel>> reduction(
            symmetric_reducible);
        search.result = as_bind_result(checker::breadth_first_search(reduction, observer, options));
        search.reduced = true;
        search.reduced_expansions = reduction.counts().reduced;
        search.reduced_seconds = search.result.stats.seconds;
        shorten(symmetric, model, options, search);
    }
    for (checker::Finding& f : search.result.findings) f.steps = groups.real_run(f.steps);
    return out;
}

} // namespace bindcheck::cli
