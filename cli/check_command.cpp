#include <algorithm>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

#include "checker/bfs.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/model_loader.hpp"
#include "cli/property_search.hpp"
#include "cli/reduced_search.hpp"
#include "cli/symmetric_search.hpp"
#include "cli/report.hpp"
#include "counterexamples/render_json.hpp"
#include "counterexamples/render_text.hpp"
#include "properties/observer.hpp"

namespace bindcheck::cli {
namespace {

// The JSON document replaces the whole text report (docs/trace-json.md).
std::string json_report(const model::BindModel& model, const CheckOptions& options,
                        const std::vector<properties::PropertyId>& selected, bool complete,
                        const std::vector<counterexamples::Counterexample>& found) {
    std::ifstream file(options.model.scenario_path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    std::vector<counterexamples::PropertyVerdict> verdicts;
    for (properties::PropertyId id : selected) {
        const std::string name(properties::property(id).name());
        const bool violated = std::any_of(found.begin(), found.end(),
                                          [&](const auto& cx) { return cx.property->id() == id; });
        verdicts.push_back({name, violated   ? "violated"
                                  : complete ? "holds"
                                             : "not violated in the explored space"});
    }
    return counterexamples::render_json(model, {options.model.scenario_path, text.str()}, verdicts, found);
}

} // namespace

int check_command(const CheckOptions& options, std::ostream& out, std::ostream& err) {
    auto model = load_model(options.model, err);
    if (!model) return kBadInput;
    auto selected = selected_properties(options.properties, err);
    if (!selected) return kBadInput;

    auto settings = search_options(options, err);
    if (!settings) return kBadInput;
    checker::SearchOptions& search = *settings;
    if (options.progress)
        search.on_progress = [&err](const checker::Progress& p) { err << progress_line(p) << std::flush; };
    const SymmetricCheckSearch symmetric =
        run_symmetric_check_search(*model, *selected, search, options.partial_order, options.symmetry);
    const CheckSearch& checked = symmetric.search;
    const auto& result = checked.result;
    if (options.progress && result.stats.seconds >= search.progress_interval_seconds) err << "\n";

    std::ostringstream report;
    std::vector<counterexamples::Counterexample> found;
    int code = write_check_report(*model, options, *selected, result, report, err, &found);
    if (const std::string line = reduction_line(checked); !line.empty()) report << line << "\n";
    if (!symmetric.symmetry_line.empty()) report << symmetric.symmetry_line << "\n";
    if (options.format == "json") {
        if (code == kBadInput) return code;
        const bool complete = result.outcome != checker::Outcome::LimitReached && !result.depth_truncated;
        report.str(json_report(*model, options, *selected, complete, found));
    }

    if (options.output_path.empty()) {
        out << report.str();
    } else {
        std::ofstream file(options.output_path);
        if (!file) {
            err << "bindcheck: error: cannot write " << options.output_path << "\n";
            return kBadInput;
        }
        file << report.str();
    }
    return code;
}

} // namespace bindcheck::cli
