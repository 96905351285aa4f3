#include "cli/symmetric_search.hpp"

#include <memory>

#include "checker/partial_order.hpp"
#include "cli/reduced_search_steps.hpp"
#include "model/symmetric_model.hpp"
#include "model/symmetry.hpp"

namespace bindcheck::cli {
namespace {

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
    const std::unique_ptr<model::ReducibleBindModel> reducible = detail::make_reducible(model, selected, options, reduce);
    properties::PropertyObserver observer(model, selected);
    if (!reducible) {
        search.result = detail::as_bind_result(checker::breadth_first_search(symmetric, observer, options));
    } else {
        const model::SymmetricModel<model::ReducibleBindModel> symmetric_reducible(*reducible, groups);
        checker::PartialOrderReduction<model::SymmetricModel<model::ReducibleBindModel>> reduction(
            symmetric_reducible);
        search.result = detail::as_bind_result(checker::breadth_first_search(reduction, observer, options));
        search.reduced = true;
        search.reduced_expansions = reduction.counts().reduced;
        search.reduced_seconds = search.result.stats.seconds;
        detail::shorten(symmetric, model, options, search);
    }
    for (checker::Finding& f : search.result.findings) f.steps = groups.real_run(f.steps);
    return out;
}

} // namespace bindcheck::cli
