// Partial-order reduction agrees with the plain search: the same verdict
// and the same shortest counterexample length for every property (and for
// the waits-forever note), never more stored states, on every shipped
// scenario, a sample of the benchmark family and random scenarios, under
// V1, V2 and V4 at both granularities. Also checks the premise the
// reduction rests on without a cycle proviso: the state graph is acyclic.

#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "checker/partial_order.hpp"
#include "cli/reduced_search.hpp"
#include "counterexamples/trace.hpp"
#include "model/reducible_model.hpp"
#include "model/scenario_parser.hpp"
#include "properties/observer.hpp"
#include "tests/support/family_scenario.hpp"
#include "tests/support/random_scenario.hpp"
#include "tests/support/run_check.hpp"

namespace {

using bindcheck::model::BindModel;
using bindcheck::model::Granularity;

const char* name_of(Granularity g) { return g == Granularity::Devres ? "devres" : "call"; }

std::unique_ptr<BindModel> load(const std::string& text, const std::string& variant, Granularity granularity) {
    auto parsed = bindcheck::model::parse_scenario(text, "test.bind");
    if (auto* d = std::get_if<bindcheck::model::Diagnostic>(&parsed)) {
        FAIL("scenario does not parse: " << d->to_string());
        return nullptr;
    }
    auto v = bindcheck::model::find_variant(variant);
    REQUIRE(v.has_value());
    return std::make_unique<BindModel>(std::get<bindcheck::model::Scenario>(std::move(parsed)), *v, granularity);
}

struct Verdicts {
    std::map<unsigned, std::size_t> lengths; // finding bit -> counterexample length
    std::uint64_t states = 0;
};

std::vector<bindcheck::properties::PropertyId> every_property() {
    std::vector<bindcheck::properties::PropertyId> all;
    for (const auto& p : bindcheck::properties::all_properties()) all.push_back(p->id());
    return all;
}

Verdicts check(const BindModel& model, bool reduce,
               const std::vector<bindcheck::properties::PropertyId>& selected = every_property()) {
    const auto search = bindcheck::cli::run_check_search(model, selected, {}, reduce);
    REQUIRE(search.result.outcome != bindcheck::checker::Outcome::LimitReached);
    CHECK(search.reduced == reduce);
    Verdicts v;
    v.states = search.result.stats.states;
    for (const auto& f : search.result.findings) {
        v.lengths[f.bit] = f.steps.size();
        if (f.bit == bindcheck::properties::kWaitsForeverBit) continue;
        // Every trace, reduced or not, replays in the plain model and ends in its violation.
        auto replayed = bindcheck::counterexamples::replay(model, f.steps);
        REQUIRE(std::holds_alternative<bindcheck::counterexamples::Trace>(replayed));
        const auto& p = bindcheck::properties::property(static_cast<bindcheck::properties::PropertyId>(f.bit));
        CHECK_MESSAGE(bindcheck::counterexamples::judge_end(model, std::get<bindcheck::counterexamples::Trace>(replayed), p),
                      p.name() << " does not end in its violation");
    }
    return v;
}

struct Totals {
    std::uint64_t plain = 0;
    std::uint64_t reduced = 0;
};

void agree(const std::string& text, const std::string& variant, Granularity granularity, Totals* totals = nullptr) {
    CAPTURE(variant);
    CAPTURE(name_of(granularity));
    auto model = load(text, variant, granularity);
    const Verdicts plain = check(*model, false);
    const Verdicts reduced = check(*model, true);
    CHECK(reduced.lengths == plain.lengths);
    CHECK(reduced.states <= plain.states);
    if (totals) {
        totals->plain += plain.states;
        totals->reduced += reduced.states;
    }
}

std::vector<std::filesystem::path> shipped_scenarios() {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::filesystem::path(BINDCHECK_SOURCE_DIR) / "scenarios"))
        if (entry.is_regular_file() && entry.path().extension() == ".bind") paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    return paths;
}

std::string source_relative(const std::filesystem::path& path) {
    return std::filesystem::relative(path, BINDCHECK_SOURCE_DIR).string();
}


} // namespace

TEST_CASE("partial-order reduction agrees with the plain search on every shipped scenario") {
    const auto paths = shipped_scenarios();
    REQUIRE(paths.size() >= 3);
    Totals totals;
    for (const auto& path : paths) {
        CAPTURE(source_relative(path));
        const std::string text = bindcheck::testing::read_source_file(source_relative(path));
        for (const char* variant : {"V1", "V2", "V4"})
            for (auto granularity : {Granularity::Devres, Granularity::Call}) agree(text, variant, granularity, &totals);
    }
    MESSAGE("shipped scenarios: " << totals.plain << " states plain, " << totals.reduced << " with reduction");
    CHECK(totals.reduced < totals.plain); // the reduction must bite somewhere
}

// Sizes chosen to keep the test quick (also under the sanitizers): the
// second master at devres granularity with N = 2 alone takes 300,000 states.
TEST_CASE("partial-order reduction agrees with the plain search on the benchmark family") {
    for (bool second_master : {false, true}) {
        CAPTURE(second_master);
        for (int n = 1; n <= 3; ++n) {
            CAPTURE(n);
            for (const char* variant : {"V1", "V2", "V4"}) {
                if (n == 1 || (n == 2 && !second_master)) agree(bindcheck::testing::family_scenario(n, second_master), variant, Granularity::Devres);
                if (n <= 2 || !second_master) agree(bindcheck::testing::family_scenario(n, second_master), variant, Granularity::Call);
            }
        }
    }
}

TEST_CASE("partial-order reduction agrees with the plain search on random scenarios") {
    std::mt19937 rng(4136);
    for (int round = 0; round < 8; ++round) {
        const std::string text = bindcheck::testing::random_scenario(rng);
        CAPTURE(text);
        for (const char* variant : {"V1", "V2", "V4"})
            for (auto granularity : {Granularity::Devres, Granularity::Call}) agree(text, variant, granularity);
    }
}

static_assert(bindcheck::checker::SegmentedEncoding<
              bindcheck::checker::PartialOrderReduction<bindcheck::model::ReducibleBindModel>>,
              "the reduced model keeps the segmented encoding the tree store shares parts by");

TEST_CASE("a reduced search gives the same result with several threads") {
    auto model = load(bindcheck::testing::family_scenario(2, true), "V2", Granularity::Call);
    std::vector<bindcheck::properties::PropertyId> all;
    for (const auto& p : bindcheck::properties::all_properties()) all.push_back(p->id());
    bindcheck::checker::SearchOptions one, two;
    two.threads = 2;
    const auto a = bindcheck::cli::run_check_search(*model, all, one, true);
    const auto b = bindcheck::cli::run_check_search(*model, all, two, true);
    CHECK(a.result.stats.states == b.result.stats.states);
    CHECK(a.result.stats.transitions == b.result.stats.transitions);
    REQUIRE(a.result.findings.size() == b.result.findings.size());
    for (std::size_t k = 0; k < a.result.findings.size(); ++k) {
        CHECK(a.result.findings[k].bit == b.result.findings[k].bit);
        CHECK(a.result.findings[k].steps == b.result.findings[k].steps);
    }
}

TEST_CASE("a depth bound or --no-por searches without reduction") {
    auto model = load(bindcheck::testing::family_scenario(2, false), "V2", Granularity::Devres);
    std::vector<bindcheck::properties::PropertyId> all{bindcheck::properties::PropertyId::Leak};
    bindcheck::checker::SearchOptions bounded;
    bounded.max_depth = 5;
    CHECK_FALSE(bindcheck::cli::run_check_search(*model, all, bounded, true).reduced);
    CHECK_FALSE(bindcheck::cli::run_check_search(*model, all, {}, false).reduced);
    CHECK(bindcheck::cli::run_check_search(*model, all, {}, true).reduced);
}

// No cycle proviso: the reduction is sound only because no state repeats on
// a path. Explore whole state graphs and look for a cycle (Kahn's algorithm).
TEST_CASE("the state graphs of the shipped scenarios and random scenarios are acyclic") {
    std::vector<std::pair<std::string, std::string>> texts;
    for (const auto& path : shipped_scenarios())
        texts.emplace_back(source_relative(path), bindcheck::testing::read_source_file(source_relative(path)));
    std::mt19937 rng(20261125);
    for (int round = 0; round < 8; ++round) texts.emplace_back("random", bindcheck::testing::random_scenario(rng));
    for (const auto& [name, text] : texts) {
        CAPTURE(name);
        for (auto granularity : {Granularity::Devres, Granularity::Call}) {
            CAPTURE(name_of(granularity));
            auto model = load(text, "V1", granularity);
            std::unordered_map<std::string, std::size_t> index;
            std::vector<std::vector<std::size_t>> edges;
            std::vector<bindcheck::model::World> todo{model->initial()};
            const auto key = [&](const bindcheck::model::World& w) {
                std::vector<std::byte> bytes;
                model->encode(w, bytes);
                return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
            };
            index.emplace(key(todo.front()), 0);
            edges.emplace_back();
            for (std::size_t next = 0; next < todo.size(); ++next) {
                const bindcheck::model::World from = todo[next];
                model->for_each_successor(from, [&](const auto&, const bindcheck::model::World& to, const auto&) {
                    auto [it, is_new] = index.emplace(key(to), todo.size());
                    if (is_new) {
                        todo.push_back(to);
                        edges.emplace_back();
                    }
                    edges[next].push_back(it->second);
                });
            }
            std::vector<std::size_t> incoming(todo.size(), 0), ready;
            for (const auto& out : edges)
                for (std::size_t to : out) ++incoming[to];
            for (std::size_t s = 0; s < todo.size(); ++s)
                if (incoming[s] == 0) ready.push_back(s);
            std::size_t removed = 0;
            while (!ready.empty()) {
                const std::size_t s = ready.back();
                ready.pop_back();
                ++removed;
                for (std::size_t to : edges[s])
                    if (--incoming[to] == 0) ready.push_back(to);
            }
            CHECK_MESSAGE(removed == todo.size(), (todo.size() - removed) << " states lie on cycles");
        }
    }
}

// The futures follow return values and the budget of failing group
// openings (model/footprint.hpp): scenarios where openings may fail and
// drivers probe again exercise the paths that follow them.
TEST_CASE("partial-order reduction agrees with the plain search when group openings fail and drivers rebind") {
    std::mt19937 rng(20261126);
    for (int round = 0; round < 3; ++round) {
        // Probing twice doubles the space: only in the first round.
        const std::string text = bindcheck::testing::random_scenario(rng) + "bound open_group_failures = 1\n" +
                                 (round == 0 ? "bound rebinds = 1\n" : "");
        CAPTURE(text);
        for (auto granularity : {Granularity::Devres, Granularity::Call}) agree(text, "V2", granularity);
    }
}

// Only leak judges non-terminal states, and only for it are sets of idle
// threads refused: without it the reduction may take them, and still agrees.
TEST_CASE("without leak, partial-order reduction refuses nothing and still agrees with the plain search") {
    std::vector<bindcheck::properties::PropertyId> without_leak;
    for (auto id : every_property())
        if (id != bindcheck::properties::PropertyId::Leak) without_leak.push_back(id);
    std::vector<std::string> texts{bindcheck::testing::family_scenario(2, false)};
    std::mt19937 rng(4137);
    for (int round = 0; round < 3; ++round) texts.push_back(bindcheck::testing::random_scenario(rng));
    std::uint64_t with_leak_states = 0, without_leak_states = 0;
    for (const auto& text : texts) {
        CAPTURE(text);
        for (auto granularity : {Granularity::Devres, Granularity::Call}) {
            auto model = load(text, "V2", granularity);
            const Verdicts plain = check(*model, false, without_leak);
            const Verdicts reduced = check(*model, true, without_leak);
            CHECK(reduced.lengths == plain.lengths);
            CHECK(reduced.states <= plain.states);
            with_leak_states += check(*model, true).states;
            without_leak_states += reduced.states;
        }
    }
    CHECK(without_leak_states < with_leak_states); // the refusals cost states
}
