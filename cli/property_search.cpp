#include "cli/property_search.hpp"

#include <algorithm>
#include <ostream>

#include "cli/memory_size.hpp"

namespace bindcheck::cli {

std::optional<std::vector<properties::PropertyId>> selected_properties(const std::vector<std::string>& names,
                                                                       std::ostream& err) {
    std::vector<properties::PropertyId> ids;
    if (names.empty()) {
        for (const auto& p : properties::all_properties()) ids.push_back(p->id());
        return ids;
    }
    for (const std::string& name : names) {
        const properties::Property* p = properties::find_property(name);
        if (!p) {
            err << "bindcheck: error: unknown property '" << name << "' (see: bindcheck list properties)\n";
            return std::nullopt;
        }
        ids.push_back(p->id());
    }
    return ids;
}

std::optional<checker::SearchOptions> search_options(const CheckOptions& options, std::ostream& err) {
    checker::SearchOptions search;
    search.max_depth = options.max_depth;
    search.max_states = options.max_states;
    search.max_seconds = options.max_seconds;
    search.threads = options.threads;
    search.store = options.store == "exact"          ? checker::StoreKind::Exact
                   : options.store == "hash-compact" ? checker::StoreKind::HashCompact
                                                     : checker::StoreKind::Tree;
    if (!options.max_memory.empty()) {
        const auto bytes = parse_memory_size(options.max_memory);
        if (!bytes) {
            err << "bindcheck: error: --max-memory: expected a size such as 512M or 2G, got '" << options.max_memory
                << "'\n";
            return std::nullopt;
        }
        search.max_memory_bytes = *bytes;
    } else if (const auto budget = default_memory_budget()) {
        search.max_memory_bytes = *budget;
    }
    return search;
}

bool explored_completely(const checker::SearchResult<model::BindModel>& result) {
    return result.outcome != checker::Outcome::LimitReached && !result.depth_truncated;
}

std::optional<std::vector<counterexamples::Counterexample>> replay_findings(
    const model::BindModel& model, const std::vector<properties::PropertyId>& selected,
    const checker::SearchResult<model::BindModel>& result, std::ostream& err) {
    std::vector<counterexamples::Counterexample> found;
    for (properties::PropertyId id : selected) {
        const properties::Property& p = properties::property(id);
        const auto finding = std::find_if(result.findings.begin(), result.findings.end(),
                                          [&](const checker::Finding& f) { return f.bit == static_cast<unsigned>(id); });
        if (finding == result.findings.end()) continue;
        auto replayed = counterexamples::replay(model, finding->steps);
        if (auto* error = std::get_if<counterexamples::ReplayError>(&replayed)) {
            err << "bindcheck: internal error: the " << p.name() << " trace does not replay: " << error->message
                << "\n";
            return std::nullopt;
        }
        auto& trace = std::get<counterexamples::Trace>(replayed);
        auto violation = counterexamples::judge_end(model, trace, p);
        if (!violation) {
            err << "bindcheck: internal error: the " << p.name() << " trace does not end in a violation\n";
            return std::nullopt;
        }
        found.push_back({&p, std::move(trace), std::move(*violation)});
    }
    return found;
}

} // namespace bindcheck::cli
