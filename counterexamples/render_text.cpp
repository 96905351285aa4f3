#include "counterexamples/render_text.hpp"

#include <cstdio>

#include "counterexamples/step_description.hpp"
#include "properties/naming.hpp"

namespace bindcheck::counterexamples {

using namespace model;
using namespace properties;

namespace {

constexpr int kIndent = 20; // "NNN  driver-name     " before a step's text

std::string node_text(const Scenario& s, const Node& n) {
    switch (n.kind) {
    case NodeKind::Resource: {
        const Resource& r = s.resources.at(n.resource);
        return r.log_name() + " (" + std::to_string(r.size) + " bytes)";
    }
    case NodeKind::GroupOpen: return "grp< [" + group_description(s, n) + "]";
    case NodeKind::GroupClose: return "grp>";
    }
    return "?";
}

std::string pad(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

// Continuation lines start under the step's text; long lines wrap at spaces.
void append_wrapped(std::string& out, const std::string& prefix, const std::string& text,
                    std::size_t continuation = kIndent + 6) {
    const std::size_t width = 79;
    std::string line = prefix;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t room = width > line.size() ? width - line.size() : 20;
        if (text.size() - at <= room) {
            line += text.substr(at);
            break;
        }
        std::size_t cut = text.rfind(' ', at + room);
        if (cut == std::string::npos || cut <= at) cut = at + room;
        line += text.substr(at, cut - at);
        out += line + "\n";
        line = std::string(continuation, ' ');
        at = cut + (cut < text.size() && text[cut] == ' ' ? 1 : 0);
    }
    out += line + "\n";
}

} // namespace

std::string describe_event(const BindModel& model, const Event& e) {
    const Scenario& s = model.scenario();
    switch (e.kind) {
    case EventKind::DevresAdd: return device_name(s, e.device) + ": ADD " + node_text(s, e.node);
    case EventKind::DevresRemove: return device_name(s, e.device) + ": REM " + node_text(s, e.node);
    case EventKind::DevresRelease: {
        std::string text = device_name(s, e.device) + ": REL " + node_text(s, e.node);
        if (e.node.kind == NodeKind::Resource) text += " of " + driver_name(s, resource_owner(s, e.node.resource));
        return text;
    }
    case EventKind::Warn: return "WARN: " + std::string(warn_description(e.warn));
    case EventKind::Bug: return "BUG: " + std::string(bug_description(e.bug));
    case EventKind::Use: {
        std::string state = e.resource_state == ResourceState::Live       ? "live"
                            : e.resource_state == ResourceState::Absent   ? "never allocated"
                            : e.resource_state == ResourceState::Released ? "RELEASED"
                                                                          : "FREED";
        return "uses " + resource_name(s, e.node.resource) + " (" + state + ")";
    }
    case EventKind::ProbeEnd: return e.value < 0 ? "probe fails: " + errno_name(e.value) : "probe succeeds";
    case EventKind::ComponentsFound: return e.value ? "all components found" : "components missing: not ready";
    case EventKind::WaitTimeout: return "gives up waiting (timeout)";
    case EventKind::MayFail: return e.value ? "fails with " + errno_name(e.value) : "succeeds";
    case EventKind::OpenGroupFailed: return "allocation fails: -ENOMEM";
    case EventKind::KernelMessage: return "dev_err: bind failed: " + std::to_string(e.value);
    default: return "";
    }
}

std::string render_steps(const BindModel& model, const Trace& trace, int marked_event) {
    const Scenario& s = model.scenario();
    std::string out;
    std::string previous_location;
    int previous_thread = -1;
    for (std::size_t k = 0; k < trace.steps.size(); ++k) {
        const TraceStep& step = trace.steps[k];
        char number[32];
        std::snprintf(number, sizeof number, "%3zu  ", k + 1);
        const std::string head = number + pad(driver_name(s, step.step.thread), kIndent - 6) + " ";
        const std::string location = step_location(model, step.before, step.step);
        const std::string action = step_action(model, step.before, step.step);
        // A thread's consecutive steps in one function name it once.
        const bool same_place = step.step.thread == previous_thread && location == previous_location;
        if (action.empty()) {
            append_wrapped(out, head, location);
        } else if (location.empty() || step.step.action != Action::Continue || same_place) {
            append_wrapped(out, head, same_place ? "  " + action : action);
        } else if (head.size() + location.size() + 2 + action.size() <= 79) {
            append_wrapped(out, head, location + ": " + action);
        } else {
            append_wrapped(out, head, location + ":");
            append_wrapped(out, std::string(kIndent + 2, ' '), action);
        }
        previous_location = location;
        previous_thread = step.step.thread;
        const bool last = k + 1 == trace.steps.size();
        for (std::size_t e = 0; e < step.events.size(); ++e) {
            const std::string text = describe_event(model, step.events[e]);
            if (text.empty()) continue;
            const bool marked = last && static_cast<int>(e) == marked_event;
            append_wrapped(out, std::string(kIndent, ' ') + (marked ? ">>  " : "    "), text);
        }
    }
    return out;
}

std::string render_text(const BindModel& model, const Counterexample& cx) {
    const Scenario& s = model.scenario();
    std::string out;
    out += std::string(cx.property->name()) + " (" + std::string(cx.property->invariant()) + ") violated under " +
           model.variant().name + ", " + std::to_string(cx.trace.steps.size()) + " steps:\n\n";
    out += render_steps(model, cx.trace, cx.violation.event);
    out += "\n";
    append_wrapped(out, "  ", cx.violation.reason + ".", 2);
    if (cx.violation.event >= 0 && !cx.trace.steps.empty()) {
        const Event& e = cx.trace.steps.back().events.at(static_cast<std::size_t>(cx.violation.event));
        const bool about_a_resource =
            (e.node.kind == NodeKind::Resource &&
             (e.kind == EventKind::DevresRelease || e.kind == EventKind::DevresRemove ||
              e.kind == EventKind::DevresAdd)) ||
            e.kind == EventKind::Use || e.kind == EventKind::DriverFree;
        out += "  ";
        if (about_a_resource) out += "owner: " + driver_name(s, resource_owner(s, e.node.resource)) + "    ";
        out += "initiator: " + driver_name(s, e.thread) + "\n";
    }
    return out;
}

} // namespace bindcheck::counterexamples
