#include "tests/support/run_check.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <sstream>

namespace bindcheck::testing {

CheckRun run_check(const std::string& text, const std::string& variant, model::Granularity granularity,
                   std::uint64_t max_depth) {
    CheckRun run;
    model::ParseResult parsed = model::parse_scenario(text, "test.bind");
    if (auto* d = std::get_if<model::Diagnostic>(&parsed)) {
        FAIL("scenario does not parse: " << d->to_string());
        return run;
    }
    auto v = model::parse_variant(variant);
    if (auto* error = std::get_if<model::VariantError>(&v)) {
        FAIL("variant does not parse: " << error->message);
        return run;
    }
    model::BindModel m(std::get<model::Scenario>(std::move(parsed)), std::get<model::Variant>(std::move(v)),
                       granularity);
    std::vector<properties::PropertyId> all;
    for (const auto& p : properties::all_properties()) all.push_back(p->id());
    properties::PropertyObserver observer(m, all);
    checker::SearchOptions options;
    options.max_depth = max_depth;
    auto result = checker::breadth_first_search(m, observer, options);
    run.complete = result.outcome != checker::Outcome::LimitReached && !result.depth_truncated;
    run.states = result.stats.states;
    for (const auto& f : result.findings) {
        if (f.bit == properties::kWaitsForeverBit) {
            run.waits_forever = true;
            continue;
        }
        const auto& p = properties::property(static_cast<properties::PropertyId>(f.bit));
        auto replayed = counterexamples::replay(m, f.steps);
        REQUIRE(std::holds_alternative<counterexamples::Trace>(replayed));
        auto violation = counterexamples::judge_end(m, std::get<counterexamples::Trace>(replayed), p);
        REQUIRE_MESSAGE(violation.has_value(), "the trace of " << p.name() << " does not end in its violation");
        run.violated[std::string(p.name())] = f.steps.size();
        run.reasons[std::string(p.name())] = violation->reason;
    }
    return run;
}

std::string read_source_file(const std::string& relative_path) {
    std::ifstream in(std::string(BINDCHECK_SOURCE_DIR) + "/" + relative_path);
    REQUIRE_MESSAGE(in.good(), "cannot read " << relative_path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace bindcheck::testing
