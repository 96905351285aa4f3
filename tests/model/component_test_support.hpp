#pragma once
// Harness for the component framework tests: build a BindModel from .bind
// text, drive it along an explicit schedule (as `bindcheck simulate
// --schedule` does), and print what happened as one line per event, so that
// an expected run reads as a list of lines such as
//
//   "DT1 ADD H grp<[DT1 audio, id NULL]"   touch point, op, device, node
//   "DT11 REL H pcim_iomap"                a resource's release callback ran
//   "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]"  a closing marker, named
//                                          after the group find_group selected
//   "DT4 ENOMEM I"                         a framework devres_open_group failed
//   "WARN UnbindUnbound", "DT10 WARN I GroupNotFound"
//   "USE name", "FREE name", "MSG -5"      driver code; a framework error message
//
// A group marker is named by who opened it (DT1 + master, DT3/DT4 +
// component, or "driver") and by the id it was opened with (NULL for an
// address-unique id, else the master, component or named id).
//
// Schedule items: DRIVER[:probe|:remove|:resume][!|!BITS][*]
//   DRIVER        the next step of DRIVER's running thread (Continue)
//   :probe ...    start that activity
//   !             take the first failing outcome of the step's choice points
//   !BITS         take exactly these choice outcomes (bit k = k-th choice point)
//   *             (Continue only) repeat until the thread stops running or blocks
//   >TOUCH        (Continue only) repeat until a step emits an event at TOUCH
//                 (a touch_name() such as DT1 or PostBindClose), that step included

#include "model/bind_model.hpp"
#include "model/scenario_parser.hpp"

#include <doctest/doctest.h>

#include "tests/support/event_names.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bindcheck::model::component_test {

inline std::unique_ptr<BindModel> make_model(std::string_view text, std::string_view variant,
                                             Granularity granularity = Granularity::Call) {
    ParseResult parsed = parse_scenario(text, "component_test.bind");
    if (const auto* d = std::get_if<Diagnostic>(&parsed)) {
        FAIL("scenario does not parse: " << d->to_string());
        return nullptr;
    }
    auto v = find_variant(variant);
    REQUIRE_MESSAGE(v.has_value(), "unknown variant " << std::string(variant));
    return std::make_unique<BindModel>(std::get<Scenario>(std::move(parsed)), *v, granularity);
}

inline const char* touch_name(TouchPoint t) {
    switch (t) {
    case TouchPoint::Driver: return "Driver";
    case TouchPoint::DT0: return "DT0";
    case TouchPoint::DT1: return "DT1";
    case TouchPoint::DT2: return "DT2";
    case TouchPoint::DT3: return "DT3";
    case TouchPoint::DT4: return "DT4";
    case TouchPoint::DT5: return "DT5";
    case TouchPoint::DT6: return "DT6";
    case TouchPoint::DT7: return "DT7";
    case TouchPoint::DT8: return "DT8";
    case TouchPoint::DT9: return "DT9";
    case TouchPoint::DT10: return "DT10";
    case TouchPoint::DT11: return "DT11";
    case TouchPoint::PostBindClose: return "PostBindClose";
    case TouchPoint::ProbeFailure: return "ProbeFailure";
    case TouchPoint::DriverDetach: return "DriverDetach";
    case TouchPoint::DeviceUnregister: return "DeviceUnregister";
    }
    return "?touch";
}

inline const char* action_name(Action a) {
    switch (a) {
    case Action::Continue: return "continue";
    case Action::Probe: return "probe";
    case Action::Remove: return "remove";
    case Action::Resume: return "resume";
    }
    return "?";
}

/// Joins expected lines with '\n' (so a failing CHECK prints one event per line).
inline std::string lines(std::initializer_list<std::string_view> items) {
    std::string s;
    for (std::string_view item : items) {
        if (!s.empty()) s += '\n';
        s += item;
    }
    return s;
}

class Namer {
public:
    explicit Namer(const BindModel& model) : s_(model.scenario()) {}

    std::string device(int d) const {
        if (d < 0 || static_cast<std::size_t>(d) >= s_.devices.size()) return "?dev" + std::to_string(d);
        return s_.devices[static_cast<std::size_t>(d)].name;
    }
    std::string master(int m) const {
        if (m < 0 || static_cast<std::size_t>(m) >= s_.masters.size()) return "?master" + std::to_string(m);
        return s_.masters[static_cast<std::size_t>(m)].name;
    }
    std::string component(int c) const {
        if (c < 0 || static_cast<std::size_t>(c) >= s_.components.size()) return "?component" + std::to_string(c);
        return s_.components[static_cast<std::size_t>(c)].name;
    }
    std::string resource(int r) const {
        if (r < 0 || static_cast<std::size_t>(r) >= s_.resources.size()) return "?res" + std::to_string(r);
        return s_.resources[static_cast<std::size_t>(r)].name;
    }
    std::string id(GroupId id) const {
        switch (id.kind) {
        case GroupIdKind::Self: return "NULL";
        case GroupIdKind::Master: return master(id.value);
        case GroupIdKind::Component: return component(id.value);
        case GroupIdKind::Named:
            return id.value < s_.group_ids.size() ? s_.group_ids[id.value] : "?id" + std::to_string(id.value);
        }
        return "?id";
    }
    /// "[DT1 audio, id NULL]" for a group's opening marker.
    std::string group(const Node& open) const {
        std::string creator;
        switch (open.creator) {
        case GroupCreator::Driver: creator = "driver"; break;
        case GroupCreator::DT1: creator = "DT1 " + master(open.creator_object); break;
        case GroupCreator::DT3: creator = "DT3 " + component(open.creator_object); break;
        case GroupCreator::DT4: creator = "DT4 " + component(open.creator_object); break;
        }
        return "[" + creator + ", id " + id(open.id) + "]";
    }
    std::string node(const Node& n, const Event& e) const {
        switch (n.kind) {
        case NodeKind::Resource: return resource(n.resource);
        case NodeKind::GroupOpen: return "grp<" + group(n);
        case NodeKind::GroupClose:
            // The closing marker carries no id: name it after the group find_group selected.
            if (e.selected_group.kind == NodeKind::GroupOpen && e.selected_group.tag == n.tag)
                return "grp>" + group(e.selected_group);
            return "grp>?";
        }
        return "?node";
    }

    /// The event as one line, or nothing when it is not part of the devres view.
    std::optional<std::string> line(const Event& e) const {
        const std::string touch = touch_name(e.touch);
        switch (e.kind) {
        case EventKind::DevresAdd: return touch + " ADD " + device(e.device) + " " + node(e.node, e);
        case EventKind::DevresRemove: return touch + " REM " + device(e.device) + " " + node(e.node, e);
        case EventKind::DevresRelease: return touch + " REL " + device(e.device) + " " + node(e.node, e);
        case EventKind::OpenGroupFailed: return touch + " ENOMEM " + device(e.device);
        case EventKind::Warn: {
            std::string s = e.touch == TouchPoint::Driver ? "" : touch + " ";
            s += "WARN ";
            if (e.device >= 0) s += device(e.device) + " ";
            return s + testing::warn_name(e.warn);
        }
        case EventKind::Bug: return std::string("BUG ") + testing::bug_name(e.bug);
        case EventKind::Use: return "USE " + resource(e.node.resource);
        case EventKind::DriverFree: return "FREE " + resource(e.node.resource);
        case EventKind::KernelMessage: return "MSG " + std::to_string(e.value);
        default: return std::nullopt;
        }
    }

private:
    const Scenario& s_;
};

struct StepRecord {
    Step step;
    std::string item; // the schedule item that chose it
    Events events;
};

/// A run along a schedule: every step taken, its events, and the world after it.
struct Run {
    const BindModel* model = nullptr;
    World world;
    std::vector<StepRecord> steps;
    bool followed = true; // every schedule item was enabled when its turn came

    static constexpr std::size_t kEnd = std::numeric_limits<std::size_t>::max();

    /// The events of steps [first, last), in order.
    [[nodiscard]] Events events(std::size_t first = 0, std::size_t last = kEnd) const {
        Events out;
        for (std::size_t k = first; k < steps.size() && k < last; ++k)
            out.insert(out.end(), steps[k].events.begin(), steps[k].events.end());
        return out;
    }

    /// The devres view of steps [first, last): one line per event, '\n'-separated.
    [[nodiscard]] std::string log(std::size_t first = 0, std::size_t last = kEnd) const {
        const Namer namer(*model);
        std::string s;
        for (const Event& e : events(first, last)) {
            if (auto l = namer.line(e)) {
                if (!s.empty()) s += '\n';
                s += *l;
            }
        }
        return s;
    }

    /// The devres events at one touch point, in order.
    [[nodiscard]] Events at(TouchPoint touch, std::size_t first = 0) const {
        Events out;
        for (const Event& e : events(first))
            if (e.touch == touch && (e.kind == EventKind::DevresAdd || e.kind == EventKind::DevresRemove ||
                                     e.kind == EventKind::DevresRelease || e.kind == EventKind::Warn ||
                                     e.kind == EventKind::OpenGroupFailed))
                out.push_back(e);
        return out;
    }

    /// The result of the last probe of `driver` (ProbeEnd value), if it ended.
    [[nodiscard]] std::optional<int> probe_result(std::string_view driver) const {
        std::optional<int> result;
        const int t = driver_index(driver);
        for (const Event& e : events())
            if (e.kind == EventKind::ProbeEnd && e.thread == t) result = e.value;
        return result;
    }

    /// Whether any step emitted an event of this kind.
    [[nodiscard]] bool emitted(EventKind kind, std::size_t first = 0) const {
        for (const Event& e : events(first))
            if (e.kind == kind) return true;
        return false;
    }

    [[nodiscard]] int driver_index(std::string_view driver) const {
        const auto& drivers = model->scenario().drivers;
        for (std::size_t d = 0; d < drivers.size(); ++d)
            if (drivers[d].name == driver) return static_cast<int>(d);
        FAIL("no driver " << std::string(driver));
        return -1;
    }
    [[nodiscard]] int device_index(std::string_view device) const {
        const auto& devices = model->scenario().devices;
        for (std::size_t d = 0; d < devices.size(); ++d)
            if (devices[d].name == device) return static_cast<int>(d);
        FAIL("no device " << std::string(device));
        return -1;
    }
    [[nodiscard]] int master_index(std::string_view name) const {
        const auto& masters = model->scenario().masters;
        for (std::size_t m = 0; m < masters.size(); ++m)
            if (masters[m].name == name) return static_cast<int>(m);
        FAIL("no master " << std::string(name));
        return -1;
    }
    [[nodiscard]] int component_index(std::string_view name) const {
        const auto& components = model->scenario().components;
        for (std::size_t c = 0; c < components.size(); ++c)
            if (components[c].name == name) return static_cast<int>(c);
        FAIL("no component " << std::string(name));
        return -1;
    }

    /// A device's devres list, oldest first, as names separated by spaces.
    [[nodiscard]] std::string list(std::string_view device) const {
        const Namer namer(*model);
        const DevresList& l = world.devices.at(static_cast<std::size_t>(device_index(device)));
        std::string s;
        for (const Node& n : l) {
            if (!s.empty()) s += ' ';
            if (n.kind == NodeKind::GroupClose) {
                std::string name = "grp>?";
                for (const Node& o : l)
                    if (o.kind == NodeKind::GroupOpen && o.tag == n.tag) name = "grp>" + namer.group(o);
                s += name;
            } else {
                s += namer.node(n, Event{});
            }
        }
        return s;
    }

    [[nodiscard]] Phase phase(std::string_view driver) const {
        return world.threads.at(static_cast<std::size_t>(driver_index(driver))).phase;
    }
    [[nodiscard]] bool master_bound(std::string_view name) const {
        return world.masters.at(static_cast<std::size_t>(master_index(name))).bound;
    }
    [[nodiscard]] bool master_registered(std::string_view name) const {
        return world.master_registered(master_index(name));
    }
    [[nodiscard]] bool component_bound(std::string_view name) const {
        return world.components.at(static_cast<std::size_t>(component_index(name))).bound;
    }
    [[nodiscard]] bool component_registered(std::string_view name) const {
        return world.component_registered(component_index(name));
    }
    /// The master a component is attached to, or "" when none.
    [[nodiscard]] std::string attached_to(std::string_view component) const {
        const int m = world.components.at(static_cast<std::size_t>(component_index(component))).master;
        return m < 0 ? std::string() : Namer(*model).master(m);
    }
};

namespace detail {

struct Item {
    std::string driver;
    std::optional<Action> action;
    bool failing = false;
    std::optional<std::uint16_t> bits;
    bool repeat = false;
    std::optional<TouchPoint> until; // repeat until a step emits an event at this touch point
};

inline std::optional<TouchPoint> touch_by_name(std::string_view name) {
    for (int t = 0; t <= static_cast<int>(TouchPoint::DeviceUnregister); ++t)
        if (name == touch_name(static_cast<TouchPoint>(t))) return static_cast<TouchPoint>(t);
    return std::nullopt;
}

inline Item parse_item(std::string text) {
    Item item;
    if (auto gt = text.find('>'); gt != std::string::npos) {
        item.until = touch_by_name(text.substr(gt + 1));
        if (!item.until) FAIL("bad touch point in schedule item: " << text);
        item.repeat = true;
        text.erase(gt);
    }
    if (!text.empty() && text.back() == '*') {
        item.repeat = true;
        text.pop_back();
    }
    if (auto bang = text.find('!'); bang != std::string::npos) {
        item.failing = true;
        if (bang + 1 < text.size()) item.bits = static_cast<std::uint16_t>(std::stoul(text.substr(bang + 1)));
        text.erase(bang);
    }
    if (auto colon = text.find(':'); colon != std::string::npos) {
        const std::string a = text.substr(colon + 1);
        if (a == "probe") item.action = Action::Probe;
        else if (a == "remove") item.action = Action::Remove;
        else if (a == "resume") item.action = Action::Resume;
        else if (a == "continue") item.action = Action::Continue;
        else FAIL("bad action in schedule item: " << a);
        text.erase(colon);
    } else {
        item.action = Action::Continue;
    }
    item.driver = text;
    return item;
}

struct Candidate {
    Step step;
    World next;
    Events events;
};

inline std::vector<Candidate> successors(const BindModel& model, const World& world) {
    std::vector<Candidate> out;
    model.for_each_successor(world, [&](const Step& s, const World& next, const Events& events) {
        out.push_back({s, next, events});
    });
    return out;
}

inline bool fits(const BindModel& model, const Candidate& c, const Item& item) {
    if (model.scenario().drivers[c.step.thread].name != item.driver) return false;
    if (item.action && *item.action != c.step.action) return false;
    if (item.bits) return c.step.choices == *item.bits;
    return (c.step.choices != 0) == item.failing;
}

inline std::string enabled_list(const BindModel& model, const std::vector<Candidate>& candidates) {
    std::string s;
    for (const Candidate& c : candidates) {
        if (!s.empty()) s += ", ";
        s += model.scenario().drivers[c.step.thread].name;
        if (c.step.action != Action::Continue) {
            s += ':';
            s += action_name(c.step.action);
        }
        if (c.step.choices != 0) {
            s += '!';
            s += std::to_string(c.step.choices);
        }
    }
    return s.empty() ? "nothing" : s;
}

} // namespace detail

/// Takes the steps of `schedule` from the run's current world. An item that is
/// not enabled fails the test (listing what is) and stops the run.
inline void extend(Run& run, std::initializer_list<std::string_view> schedule) {
    if (!run.followed) return;
    for (std::string_view text : schedule) {
        const detail::Item item = detail::parse_item(std::string(text));
        bool took_one = false;
        for (;;) {
            auto candidates = detail::successors(*run.model, run.world);
            const detail::Candidate* chosen = nullptr;
            for (const auto& c : candidates)
                if (detail::fits(*run.model, c, item)) {
                    chosen = &c;
                    break;
                }
            if (!chosen) {
                if (item.repeat && took_one) break;
                FAIL_CHECK("schedule item " << run.steps.size() + 1 << " '" << std::string(text)
                                            << "' is not enabled (enabled: "
                                            << detail::enabled_list(*run.model, candidates) << ")");
                run.followed = false;
                return;
            }
            run.steps.push_back({chosen->step, std::string(text), chosen->events});
            run.world = chosen->next;
            took_one = true;
            if (!item.repeat) break;
            if (item.until) {
                bool reached = false;
                for (const Event& e : chosen->events) reached = reached || e.touch == *item.until;
                if (reached) break;
            }
            if (run.world.threads[chosen->step.thread].phase != Phase::Running) {
                if (item.until) {
                    FAIL_CHECK("schedule item '" << std::string(text) << "': the thread stopped before "
                                                 << touch_name(*item.until));
                    run.followed = false;
                    return;
                }
                break;
            }
        }
    }
}

inline Run run_schedule(const BindModel& model, std::initializer_list<std::string_view> schedule) {
    Run run;
    run.model = &model;
    run.world = model.initial();
    extend(run, schedule);
    return run;
}

} // namespace bindcheck::model::component_test
