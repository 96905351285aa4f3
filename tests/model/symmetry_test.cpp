// Symmetry reduction between clone drivers (model/symmetry.hpp) is exact:
// renaming a state by any accepted renaming gives the renamed successors
// with the renamed events, judged alike by every property; the symmetric
// search agrees with the plain one (verdicts and shortest lengths) with and
// without partial-order reduction, on one and two threads; drivers that
// look alike but are matched in order are never merged.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "checker/bfs.hpp"
#include "cli/symmetric_search.hpp"
#include "counterexamples/trace.hpp"
#include "model/scenario_parser.hpp"
#include "model/symmetric_model.hpp"
#include "model/symmetry.hpp"
#include "properties/observer.hpp"
#include "tests/support/family_scenario.hpp"
#include "tests/support/run_check.hpp"
#include "tests/support/run_cli.hpp"

namespace {

using bindcheck::model::BindModel;
using bindcheck::model::Events;
using bindcheck::model::Granularity;
using bindcheck::model::Symmetry;
using bindcheck::model::World;

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

std::string key(const BindModel& model, const World& w) {
    std::vector<std::byte> bytes;
    model.encode(w, bytes);
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::string node_text(const bindcheck::model::Node& n) {
    std::ostringstream s;
    s << int(n.kind) << ',' << int(n.resource) << ',' << int(n.context.kind) << ',' << int(n.context.object) << ','
      << n.current << n.freed_by_driver << ',' << int(n.id.kind) << ',' << int(n.id.value) << ',' << int(n.creator)
      << ',' << int(n.creator_object);
    return s.str();
}

// Every field of an event but group tags, which are allocation history.
std::string event_text(const bindcheck::model::Event& e) {
    std::ostringstream s;
    s << int(e.kind) << ' ' << int(e.touch) << ' ' << int(e.thread) << ' ' << int(e.code_owner) << ' '
      << int(e.device) << ' ' << int(e.master) << ' ' << int(e.component) << ' ' << node_text(e.node) << ' '
      << e.frees_resource << e.null_lookup << e.group_found << ' ' << node_text(e.selected_group) << ' '
      << e.intrudes_framework_group << ' ' << node_text(e.intruded_group) << ' ' << int(e.resource_state) << ' '
      << int(e.warn) << ' ' << int(e.bug) << ' ' << e.value << ' ' << int(e.open_framework_groups);
    return s.str();
}

std::string verdicts(const BindModel& model, const Events& events, const World& after) {
    std::string out;
    for (const auto& p : bindcheck::properties::all_properties())
        out += p->judge_step(model, events, after).has_value() ? '1' : '0';
    return out;
}

// (step, next state, events, verdicts) of every successor, renamed by r.
std::multiset<std::string> successors(const BindModel& model, const Symmetry& symmetry, const World& w,
                                      const bindcheck::model::Renaming* r) {
    std::multiset<std::string> out;
    model.for_each_successor(w, [&](const bindcheck::model::Step& step, const World& next, const Events& events) {
        const auto s = r ? symmetry.rename(*r, step) : step;
        const World n = r ? symmetry.rename(*r, next) : next;
        Events e;
        for (const auto& x : events) e.push_back(r ? symmetry.rename(*r, x) : x);
        std::string text = std::to_string(model.step_code(s)) + "|" + key(model, n) + "|" + verdicts(model, e, n);
        for (const auto& x : e) text += "|" + event_text(x);
        out.insert(text);
    });
    return out;
}

// successors(r(s)) == r(successors(s)) for the first `limit` representatives
// a symmetric search meets and every accepted renaming r.
void check_equivariance(const BindModel& model, std::size_t limit) {
    const Symmetry symmetry(model);
    REQUIRE(symmetry.active());
    const World initial = model.initial();
    for (const auto& r : symmetry.renamings()) CHECK(key(model, symmetry.rename(r, initial)) == key(model, initial));
    const bindcheck::model::SymmetricModel<BindModel> symmetric(model, symmetry);
    std::vector<World> todo{symmetric.initial()};
    std::set<std::string> seen{key(model, todo.front())};
    for (std::size_t next = 0; next < todo.size() && next < limit; ++next) {
        const World from = todo[next];
        for (const auto& r : symmetry.renamings()) {
            const auto inverse = symmetry.inverse(r);
            CHECK(key(model, symmetry.rename(inverse, symmetry.rename(r, from))) == key(model, from));
            const auto direct = successors(model, symmetry, symmetry.rename(r, from), nullptr);
            const auto renamed = successors(model, symmetry, from, &r);
            if (direct != renamed) {
                std::vector<std::string> only_direct, only_renamed;
                std::set_difference(direct.begin(), direct.end(), renamed.begin(), renamed.end(),
                                    std::back_inserter(only_direct));
                std::set_difference(renamed.begin(), renamed.end(), direct.begin(), direct.end(),
                                    std::back_inserter(only_renamed));
                FAIL_CHECK("state " << next << ": successors differ: " << only_direct.size() << " vs "
                                    << only_renamed.size() << "; first: "
                                    << (only_direct.empty() ? "" : only_direct.front().substr(only_direct.front().find('|', only_direct.front().find('|') + 1))) << " / "
                                    << (only_renamed.empty() ? "" : only_renamed.front().substr(only_renamed.front().find('|', only_renamed.front().find('|') + 1))));
                return;
            }
        }
        symmetric.for_each_successor(from, [&](const auto&, const World& to, const auto&) {
            if (seen.insert(key(model, to)).second) todo.push_back(to);
        });
    }
}

struct Verdicts {
    std::map<unsigned, std::size_t> lengths; // finding bit -> counterexample length
    std::uint64_t states = 0;
    bool symmetric = false;
};

Verdicts check(const BindModel& model, bool reduce, bool symmetry, unsigned threads) {
    std::vector<bindcheck::properties::PropertyId> all;
    for (const auto& p : bindcheck::properties::all_properties()) all.push_back(p->id());
    bindcheck::checker::SearchOptions options;
    options.threads = threads;
    const auto search = bindcheck::cli::run_symmetric_check_search(model, all, options, reduce, symmetry);
    REQUIRE(search.search.result.outcome != bindcheck::checker::Outcome::LimitReached);
    Verdicts v;
    v.states = search.search.result.stats.states;
    v.symmetric = search.symmetric;
    for (const auto& f : search.search.result.findings) {
        v.lengths[f.bit] = f.steps.size();
        if (f.bit == bindcheck::properties::kWaitsForeverBit) continue;
        // The trace must be a run of the model itself, ending in its violation.
        auto replayed = bindcheck::counterexamples::replay(model, f.steps);
        REQUIRE(std::holds_alternative<bindcheck::counterexamples::Trace>(replayed));
        const auto& p = bindcheck::properties::property(static_cast<bindcheck::properties::PropertyId>(f.bit));
        CHECK_MESSAGE(
            bindcheck::counterexamples::judge_end(model, std::get<bindcheck::counterexamples::Trace>(replayed), p),
            p.name() << " does not end in its violation");
    }
    return v;
}

// Every combination against the plain search; returns (plain, symmetric) states.
std::pair<std::uint64_t, std::uint64_t> agree(const std::string& text, const std::string& variant,
                                              Granularity granularity) {
    CAPTURE(variant);
    CAPTURE(granularity == Granularity::Devres ? "devres" : "call");
    auto model = load(text, variant, granularity);
    const Verdicts plain = check(*model, false, false, 1);
    std::uint64_t symmetric_states = plain.states;
    for (bool reduce : {false, true})
        for (bool symmetry : {false, true})
            for (unsigned threads : {1U, 2U}) {
                CAPTURE(reduce);
                CAPTURE(symmetry);
                CAPTURE(threads);
                const Verdicts v = check(*model, reduce, symmetry, threads);
                CHECK(v.lengths == plain.lengths);
                CHECK(v.states <= plain.states);
                if (symmetry && !reduce) symmetric_states = v.states;
            }
    return {plain.states, symmetric_states};
}

std::string source(const std::string& relative) { return std::string(BINDCHECK_SOURCE_DIR) + "/" + relative; }

const char* const kSymmetricScenarios[] = {"scenarios/symmetry/devm-clones.bind",
                                           "scenarios/symmetry/aggregate-pairs.bind"};

} // namespace

TEST_CASE("symmetry: renamed states have the renamed successors, events and verdicts") {
    for (const std::string path : kSymmetricScenarios) {
        CAPTURE(path);
        const std::string text = bindcheck::testing::read_source_file(path);
        for (auto granularity : {Granularity::Devres, Granularity::Call}) {
            auto model = load(text, "V2", granularity);
            check_equivariance(*model, 1000);
        }
    }
    // Two masters matching the same components in the same order are interchangeable.
    auto family_model = load(bindcheck::testing::family_scenario(2, true), "V2", Granularity::Devres);
    check_equivariance(*family_model, 300);
}

TEST_CASE("symmetry: the shipped symmetric scenarios are reduced, with the plain search's results") {
    for (const std::string path : kSymmetricScenarios) {
        CAPTURE(path);
        const std::string text = bindcheck::testing::read_source_file(path);
        for (auto granularity : {Granularity::Devres, Granularity::Call}) {
            const auto [plain, symmetric] = agree(text, "V2", granularity);
            CHECK(symmetric < plain);
        }
    }
}

// Elsewhere a group would be checked as above; today the other shipped
// scenarios have none, and two have look-alike drivers matched in order.
TEST_CASE("symmetry: the other shipped scenarios keep their look-alike drivers apart") {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(source("scenarios")))
        if (entry.is_regular_file() && entry.path().extension() == ".bind" &&
            entry.path().parent_path().filename() != "symmetry")
            paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    REQUIRE(paths.size() >= 3);
    std::size_t noted = 0;
    for (const auto& path : paths) {
        CAPTURE(path.string());
        const std::string text = bindcheck::testing::read_source_file(
            std::filesystem::relative(path, BINDCHECK_SOURCE_DIR).string());
        auto model = load(text, "V1", Granularity::Devres);
        const Symmetry symmetry(*model);
        if (symmetry.active()) {
            check_equivariance(*model, 200);
            for (auto granularity : {Granularity::Devres, Granularity::Call}) agree(text, "V1", granularity);
        }
        for (const std::string& note : symmetry.notes()) {
            CHECK(note.find("matches their components in order") != std::string::npos);
            ++noted;
        }
    }
    CHECK(noted >= 2); // display-aggregate.bind, vc4-master-bind-failure.bind
}

TEST_CASE("symmetry: clone components matched in order are not merged") {
    for (int n : {2, 3}) {
        CAPTURE(n);
        auto model = load(bindcheck::testing::family_scenario(n, false), "V2", Granularity::Call);
        const Symmetry symmetry(*model);
        CHECK_FALSE(symmetry.active());
        REQUIRE(symmetry.notes().size() == 1);
        CHECK(symmetry.notes()[0].find("master audio matches their components in order") != std::string::npos);
        const Verdicts plain = check(*model, false, false, 1);
        const Verdicts with_symmetry = check(*model, false, true, 1);
        CHECK_FALSE(with_symmetry.symmetric);
        CHECK(with_symmetry.lengths == plain.lengths);
        CHECK(with_symmetry.states == plain.states);
    }
    // With the second master, only the two masters' drivers form a group.
    auto model = load(bindcheck::testing::family_scenario(3, true), "V2", Granularity::Call);
    const Symmetry symmetry(*model);
    REQUIRE(symmetry.groups().size() == 1);
    const auto& drivers = symmetry.groups()[0].drivers;
    REQUIRE(drivers.size() == 2);
    CHECK(model->scenario().drivers[static_cast<std::size_t>(drivers[0])].name == "snd_hda_intel");
    CHECK(model->scenario().drivers[static_cast<std::size_t>(drivers[1])].name == "snd_sof_intel");
    CHECK(symmetry.notes().size() == 1);
    agree(bindcheck::testing::family_scenario(2, true), "V2", Granularity::Call);
}

TEST_CASE("symmetry: --no-symmetry and the statistics line; traces replay") {
    using bindcheck::testing::run_bindcheck;
    const std::string scenario = source("scenarios/symmetry/aggregate-pairs.bind");
    const auto on = run_bindcheck({"check", scenario, "--no-progress", "--variant", "V2"});
    const auto off = run_bindcheck({"check", scenario, "--no-progress", "--variant", "V2", "--no-symmetry"});
    CHECK(on.code == 1);
    CHECK(off.code == 1);
    CHECK(on.out.find("statistics: symmetry: states above are one per orbit of 1 clone group: snd_hda_intel0+i915_0, snd_hda_intel1+i915_1") != std::string::npos);
    CHECK(off.out.find("statistics: symmetry") == std::string::npos);

    const std::string trace = "/tmp/bindcheck-symmetry-test.json";
    const auto json = run_bindcheck(
        {"check", scenario, "--no-progress", "--variant", "V2", "--format", "json", "-o", trace});
    CHECK(json.code == 1);
    const auto replayed = run_bindcheck({"replay", trace});
    CHECK_MESSAGE(replayed.code == 0, replayed.out << replayed.err);
    std::filesystem::remove(trace);
}

// The symmetric model builds each representative and its renamed events in
// per-thread space it keeps from call to call, and decodes into a used
// World: a sink that explores again from inside (as the search's terminal
// and shortening passes may) must not disturb the outer successor, and
// nothing of one call may leak into the next.
TEST_CASE("symmetry: reused representatives survive nested exploration; decode_into a used World") {
    auto model = load(bindcheck::testing::family_scenario(2, true), "V2", Granularity::Devres);
    const Symmetry symmetry(*model);
    REQUIRE(symmetry.active());
    const bindcheck::model::SymmetricModel<BindModel> symmetric(*model, symmetry);
    const auto text_of = [&](const World& w, const Events& events) {
        std::string text = key(*model, w);
        for (const auto& e : events) text += "|" + event_text(e);
        return text;
    };
    std::vector<World> todo{symmetric.initial()};
    std::set<std::string> seen{key(*model, todo.front())};
    World scratch;
    std::size_t renamed_successors = 0;
    for (std::size_t next = 0; next < todo.size() && next < 400; ++next) {
        const World from = todo[next];
        std::vector<std::byte> bytes;
        symmetric.encode(from, bytes);
        symmetric.decode_into(bytes, scratch); // scratch still holds the previous state
        REQUIRE(scratch == symmetric.decode(bytes));

        std::vector<std::string> outer, plain;
        std::size_t disturbed = 0;
        // One sink type for both levels: the kept space is per instantiation,
        // so only a sink that re-enters its own instantiation can clash.
        int level = 0;
        std::function<void(const bindcheck::model::Step&, const World&, const Events&)> visit =
            [&](const bindcheck::model::Step&, const World& to, const Events& events) {
                if (level > 0)
                    return;
                outer.push_back(text_of(to, events));
                ++level;
                symmetric.for_each_successor(to, visit);
                --level;
                if (text_of(to, events) != outer.back()) ++disturbed;
            };
        symmetric.for_each_successor(from, visit);
        CHECK(disturbed == 0);
        symmetric.for_each_successor(from, [&](const auto&, const World& to, const Events& events) {
            plain.push_back(text_of(to, events));
            if (seen.insert(key(*model, to)).second) todo.push_back(to);
        });
        REQUIRE(outer == plain);
        // Successors that needed renaming: the path that fills the kept events.
        model->for_each_successor(from, [&](const auto&, const World& to, const Events&) {
            World representative = to;
            if (symmetry.canonicalise(representative) != 0) ++renamed_successors;
        });
    }
    CHECK(todo.size() > 400);
    CHECK(renamed_successors > 0);
}
