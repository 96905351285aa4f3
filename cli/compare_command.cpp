// bindcheck compare: every scenario under every variant and granularity,
// through the search of `check`, as one verdict matrix.

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/compare_matrix.hpp"
#include "cli/exit_codes.hpp"
#include "cli/model_loader.hpp"
#include "cli/property_search.hpp"
#include "cli/reduced_search.hpp"
#include "cli/symmetric_search.hpp"
#include "cli/report.hpp"
#include "counterexamples/render_json.hpp"
#include "counterexamples/render_text.hpp"
#include "model/scenario_parser.hpp"

namespace bindcheck::cli {
namespace {

std::vector<std::string> comma_separated(const std::string& list) {
    std::vector<std::string> items;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) items.push_back(item);
    return items;
}

struct LoadedScenario {
    model::Scenario scenario;
    std::string text; // for JSON traces, which record its hash
};

std::optional<std::string> read_text(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return std::nullopt;
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// The trace file of one cell: SCENARIO.VARIANT.GRANULARITY.PROPERTY.EXT in `dir`.
std::string trace_path(const std::string& dir, const std::string& scenario_path, const model::Variant& variant,
                       const std::string& granularity, std::string_view property, const std::string& extension) {
    const std::string stem = std::filesystem::path(scenario_path).stem().string();
    return (std::filesystem::path(dir) / (stem + "." + variant.name + "." + granularity + "." + std::string(property) +
                                          "." + extension))
        .string();
}

bool write_file(const std::string& path, const std::string& text, std::ostream& err) {
    std::ofstream file(path);
    if (file << text) return true;
    err << "bindcheck: error: cannot write " << path << "\n";
    return false;
}

} // namespace

int compare_command(const CompareOptions& options, std::ostream& out, std::ostream& err) {
    CompareMatrix matrix;
    const auto selected = selected_properties(options.search.properties, err);
    if (!selected) return kBadInput;
    for (properties::PropertyId id : *selected) matrix.properties.emplace_back(properties::property(id).name());
    auto settings = search_options(options.search, err);
    if (!settings) return kBadInput;

    const std::vector<std::string> specs = comma_separated(options.variants);
    if (specs.empty()) {
        err << "bindcheck: error: --variants names no variant\n";
        return kBadInput;
    }
    for (const std::string& spec : specs) {
        auto variant = load_variant(spec, options.overrides, err);
        if (!variant) return kBadInput;
        matrix.variants.push_back(std::move(*variant));
    }
    matrix.granularities = options.granularity == "both" ? std::vector<std::string>{"devres", "call"}
                                                         : std::vector<std::string>{options.granularity};

    // Every file is read and parsed before the first search, so that bad input costs nothing.
    std::vector<LoadedScenario> scenarios;
    for (const std::string& path : options.scenario_paths) {
        model::ParseResult parsed = model::load_scenario(path);
        if (auto* diagnostic = std::get_if<model::Diagnostic>(&parsed)) {
            err << diagnostic->to_string() << "\n";
            return kBadInput;
        }
        scenarios.push_back({std::get<model::Scenario>(std::move(parsed)), read_text(path).value_or("")});
        matrix.scenarios.push_back(path);
    }
    if (!options.traces_dir.empty()) {
        std::error_code error;
        std::filesystem::create_directories(options.traces_dir, error);
        if (error) {
            err << "bindcheck: error: cannot create " << options.traces_dir << ": " << error.message() << "\n";
            return kBadInput;
        }
    }

    const std::size_t total = scenarios.size() * matrix.variants.size() * matrix.granularities.size();
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
        for (std::size_t v = 0; v < matrix.variants.size(); ++v) {
            for (const std::string& granularity : matrix.granularities) {
                const model::BindModel model(scenarios[s].scenario, matrix.variants[v],
                                             *granularity_named(granularity));
                checker::SearchOptions search = *settings;
                bool progress_shown = false;
                if (options.search.progress) {
                    const std::string label = "[" + std::to_string(matrix.runs.size() + 1) + "/" +
                                              std::to_string(total) + "] " + matrix.variants[v].name + " " +
                                              granularity + " ";
                    search.on_progress = [&err, &progress_shown, label](const checker::Progress& p) {
                        std::string line = progress_line(p);
                        line.insert(line.empty() ? 0 : 1, label); // after the leading '\r'
                        err << line << std::flush;
                        progress_shown = true;
                    };
                }
                const CheckSearch checked = run_symmetric_check_search(model, *selected, search,
                                                                       options.search.partial_order,
                                                                       options.search.symmetry)
                                                .search;
                if (progress_shown) err << "\n";
                const auto found = replay_findings(model, *selected, checked.result, err);
                if (!found) return kBadInput;

                CompareRun run{s, v, granularity, explored_completely(checked.result), checked.result.limit,
                               checked.result.stats, {}};
                for (properties::PropertyId id : *selected) {
                    CompareCell cell;
                    cell.verdict = run.complete ? CompareCell::Verdict::Holds : CompareCell::Verdict::Limit;
                    for (const counterexamples::Counterexample& cx : *found) {
                        if (cx.property->id() != id) continue;
                        cell.verdict = CompareCell::Verdict::Violated;
                        cell.steps = cx.trace.steps.size();
                        if (options.traces_dir.empty()) break;
                        const bool json = options.trace_format == "json";
                        cell.trace_file = trace_path(options.traces_dir, matrix.scenarios[s], matrix.variants[v],
                                                     granularity, cx.property->name(), json ? "json" : "txt");
                        const std::string text =
                            json ? counterexamples::render_json(
                                       model, {matrix.scenarios[s], scenarios[s].text},
                                       {{std::string(cx.property->name()), "violated"}}, {cx})
                                 : counterexamples::render_text(model, cx);
                        if (!write_file(cell.trace_file, text, err)) return kBadInput;
                        break;
                    }
                    run.cells.push_back(std::move(cell));
                }
                matrix.runs.push_back(std::move(run));
            }
        }
    }

    out << (options.format == "json" ? render_compare_json(matrix)
            : options.format == "md" ? render_compare_markdown(matrix)
                                     : render_compare_text(matrix));
    return matrix.complete() ? kAllHold : kLimitReached;
}

} // namespace bindcheck::cli
