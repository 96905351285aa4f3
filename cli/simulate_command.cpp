#include <ostream>
#include <random>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/model_loader.hpp"
#include "cli/report.hpp"
#include "counterexamples/render_text.hpp"
#include "properties/observer.hpp"

namespace bindcheck::cli {
namespace {

struct Candidate {
    model::Step step;
    model::World next;
    model::Events events;
};

std::string_view action_name(model::Action a) {
    switch (a) {
    case model::Action::Continue: return "continue";
    case model::Action::Probe: return "probe";
    case model::Action::Remove: return "remove";
    case model::Action::Resume: return "resume";
    }
    return "?";
}

std::string label(const model::BindModel& model, const model::Step& step) {
    std::string text = model.scenario().drivers[step.thread].name;
    if (step.action != model::Action::Continue) text += ":" + std::string(action_name(step.action));
    if (step.choices != 0) text += "!";
    return text;
}

// DRIVER[:action][!]: the first enabled step of DRIVER that fits.
std::optional<std::size_t> pick(const model::BindModel& model, const std::vector<Candidate>& candidates,
                                std::string item) {
    bool failing = !item.empty() && item.back() == '!';
    if (failing) item.pop_back();
    std::string driver = item, action;
    if (auto colon = item.find(':'); colon != std::string::npos) {
        driver = item.substr(0, colon);
        action = item.substr(colon + 1);
    }
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        const model::Step& s = candidates[k].step;
        if (model.scenario().drivers[s.thread].name != driver) continue;
        if (!action.empty() && action != action_name(s.action)) continue;
        if ((s.choices != 0) != failing) continue;
        return k;
    }
    return std::nullopt;
}

std::vector<std::string> split(const std::string& list) {
    std::vector<std::string> items;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) items.push_back(item);
    return items;
}

} // namespace

int simulate_command(const SimulateOptions& options, std::ostream& out, std::ostream& err) {
    auto model = load_model(options.model, err);
    if (!model) return kBadInput;
    const std::vector<std::string> schedule = options.schedule ? split(*options.schedule) : std::vector<std::string>{};
    std::mt19937_64 random(options.seed);

    counterexamples::Trace trace;
    model::World world = model->initial();
    std::vector<std::string> violated;
    for (std::size_t k = 0; k < options.max_steps; ++k) {
        std::vector<Candidate> candidates;
        model->for_each_successor(world, [&](const model::Step& s, const model::World& next,
                                             const model::Events& events) { candidates.push_back({s, next, events}); });
        if (candidates.empty()) break;
        std::size_t chosen = 0;
        if (k < schedule.size()) {
            auto found = pick(*model, candidates, schedule[k]);
            if (!found) {
                std::string enabled;
                for (const auto& c : candidates) enabled += (enabled.empty() ? "" : ", ") + label(*model, c.step);
                err << "bindcheck: error: schedule item " << k + 1 << " '" << schedule[k]
                    << "' is not enabled here (enabled: " << enabled << ")\n";
                return kBadInput;
            }
            chosen = *found;
        } else {
            chosen = std::uniform_int_distribution<std::size_t>(0, candidates.size() - 1)(random);
        }
        Candidate& c = candidates[chosen];
        for (const auto& p : properties::all_properties())
            if (auto v = p->judge_step(*model, c.events, c.next))
                violated.push_back("step " + std::to_string(k + 1) + ": " + std::string(p->name()) + ": " +
                                   v->reason);
        trace.steps.push_back({c.step, world, c.events});
        world = std::move(c.next);
    }
    trace.final = world;
    for (const auto& p : properties::all_properties())
        if (auto v = p->judge_state(*model, world)) violated.push_back("end: " + std::string(p->name()) + ": " + v->reason);

    out << "bindcheck simulate " << options.model.scenario_path << "\n"
        << variant_lines(model->variant(), options.model.granularity) << "\n";
    out << counterexamples::render_steps(*model, trace);
    out << "\n" << (properties::waits_forever(world) ? "end: a thread waits forever\n" : "end: nothing left to run\n");
    for (const std::string& v : violated) out << v << "\n";
    return kAllHold;
}

} // namespace bindcheck::cli
