#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

#include "checker/bfs.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/model_loader.hpp"
#include "cli/report.hpp"
#include "counterexamples/render_text.hpp"
#include "properties/observer.hpp"

namespace bindcheck::cli {
namespace {

std::optional<std::vector<properties::PropertyId>> selected_properties(const CheckOptions& options,
                                                                       std::ostream& err) {
    std::vector<properties::PropertyId> ids;
    if (options.properties.empty()) {
        for (const auto& p : properties::all_properties()) ids.push_back(p->id());
        return ids;
    }
    for (const std::string& name : options.properties) {
        const properties::Property* p = properties::find_property(name);
        if (!p) {
            err << "bindcheck: error: unknown property '" << name << "' (see: bindcheck list properties)\n";
            return std::nullopt;
        }
        ids.push_back(p->id());
    }
    return ids;
}

} // namespace

int check_command(const CheckOptions& options, std::ostream& out, std::ostream& err) {
    auto model = load_model(options.model, err);
    if (!model) return kBadInput;
    auto selected = selected_properties(options, err);
    if (!selected) return kBadInput;

    properties::PropertyObserver observer(*model, *selected);
    checker::SearchOptions search;
    search.max_depth = options.max_depth;
    search.max_states = options.max_states;
    search.max_seconds = options.max_seconds;
    if (options.progress)
        search.on_progress = [&err](const checker::Progress& p) { err << progress_line(p) << std::flush; };
    const auto result = checker::breadth_first_search(*model, observer, search);
    if (options.progress && result.stats.seconds >= search.progress_interval_seconds) err << "\n";

    std::ostringstream report;
    int code = write_check_report(*model, options, *selected, result, report, err);

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
