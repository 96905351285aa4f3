#pragma once
// Test support for the scenario tests: load a shipped scenario and drive it
// by hand, one driver at a time, as a schedule would, collecting every event.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <variant>

#include "checker/bfs.hpp"
#include "counterexamples/trace.hpp"
#include "model/bind_model.hpp"
#include "model/scenario_parser.hpp"
#include "model/variant.hpp"
#include "properties/observer.hpp"
#include "properties/property.hpp"
#include "tests/support/run_check.hpp"

namespace bindcheck::testing {

inline model::Scenario load_scenario(const std::string& relative_path) {
    auto parsed = model::parse_scenario(read_source_file(relative_path), relative_path);
    if (auto* d = std::get_if<model::Diagnostic>(&parsed)) FAIL(d->to_string());
    return std::get<model::Scenario>(std::move(parsed));
}

inline model::BindModel load_model(const std::string& relative_path, const std::string& variant,
                                   model::Granularity granularity) {
    auto v = model::find_variant(variant);
    REQUIRE(v.has_value());
    return model::BindModel(load_scenario(relative_path), *v, granularity);
}

template <class Named>
int index_named(const std::vector<Named>& items, const std::string& name) {
    for (std::size_t k = 0; k < items.size(); ++k)
        if (items[k].name == name) return static_cast<int>(k);
    FAIL("nothing named " << name);
    return -1;
}

class ScheduledRun {
public:
    explicit ScheduledRun(const model::BindModel& m) : m_(m), world_(m.initial()) {}

    // Takes `action` on `driver`'s thread with the given outcomes of the
    // choice points it meets (bit k set: the k-th fails; 0: every one goes
    // on); false if no such step is enabled.
    bool take(int driver, model::Action action, std::uint16_t choices = 0) {
        bool found = false;
        model::World next;
        model::Events events;
        m_.for_each_successor(world_, [&](const model::Step& s, const model::World& w, const model::Events& e) {
            if (found || s.thread != driver || s.action != action || s.choices != choices) return;
            found = true;
            next = w;
            events = e;
        });
        if (!found) return false;
        world_ = next;
        log_.insert(log_.end(), events.begin(), events.end());
        return true;
    }
    // Runs the driver's thread until it blocks or goes idle; the first step
    // that can take the outcomes `choices` takes them, every other step goes on.
    void run_on(int driver, std::uint16_t choices = 0) {
        for (int steps = 0; steps < 500; ++steps) {
            if (choices != 0 && take(driver, model::Action::Continue, choices)) {
                choices = 0;
                continue;
            }
            if (!take(driver, model::Action::Continue)) return;
        }
        FAIL("driver " << driver << " does not stop");
    }
    [[nodiscard]] const model::Events& log() const { return log_; }

private:
    const model::BindModel& m_;
    model::World world_;
    model::Events log_;
};

// Every event of the shortest counterexample of `property`, in order.
inline model::Events shortest_trace_events(const model::BindModel& m, properties::PropertyId property) {
    properties::PropertyObserver observer(m, {property});
    auto result = checker::breadth_first_search(m, observer, checker::SearchOptions{});
    auto finding = std::find_if(result.findings.begin(), result.findings.end(),
                                [&](const auto& f) { return f.bit == static_cast<unsigned>(property); });
    REQUIRE(finding != result.findings.end());
    auto replayed = counterexamples::replay(m, finding->steps);
    REQUIRE(std::holds_alternative<counterexamples::Trace>(replayed));
    model::Events log;
    for (const auto& step : std::get<counterexamples::Trace>(replayed).steps)
        log.insert(log.end(), step.events.begin(), step.events.end());
    return log;
}

// Position of the first event from `from` on that fits, or -1.
template <class Pred>
long first_event(const model::Events& events, Pred pred, long from = 0) {
    auto at = std::find_if(events.begin() + from, events.end(), pred);
    return at == events.end() ? -1 : static_cast<long>(at - events.begin());
}

} // namespace bindcheck::testing
