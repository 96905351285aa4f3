#include "counterexamples/render_dmesg.hpp"

#include <cstdio>
#include <optional>

#include "counterexamples/devres_pointers.hpp"
#include "properties/naming.hpp"

namespace bindcheck::counterexamples {

using namespace model;
using namespace properties;

namespace {

// The function a devres group WARN comes from: the framework's touch points
// name it, a driver's own call is the step's instruction.
std::string_view group_function(TouchPoint touch, std::optional<Op> op) {
    switch (touch) {
    case TouchPoint::DT6:
    case TouchPoint::PostBindClose: return "devres_close_group";
    case TouchPoint::DT7: return "devres_remove_group";
    case TouchPoint::DT2:
    case TouchPoint::DT5:
    case TouchPoint::DT8:
    case TouchPoint::DT9:
    case TouchPoint::DT10:
    case TouchPoint::DT11: return "devres_release_group";
    default: break;
    }
    switch (op.value_or(Op::Return)) {
    case Op::DevresCloseGroup: return "devres_close_group";
    case Op::DevresRemoveGroup: return "devres_remove_group";
    case Op::DevresReleaseGroup: return "devres_release_group";
    default: return "find_group"; // a driver's group call inside an atomic framework step
    }
}

class DmesgLog {
public:
    explicit DmesgLog(const BindModel& model)
        : model_(model), s_(model.scenario()), pointers_(model.initial()), driver_set_(s_.devices.size(), false) {}

    void comment(const std::string& text) { out_ += "# bindcheck: " + text + "\n"; }

    void step(std::size_t number, const TraceStep& step, const World& after, int marked_event,
              const std::string& marker) {
        number_ = number;
        line_ = 0;
        const std::vector<std::uint64_t> pointers = pointers_.step(step.events, after);
        bool resources_present = false;
        for (std::size_t k = 0; k < step.events.size(); ++k) {
            const Event& e = step.events[k];
            const bool marked = static_cast<int>(k) == marked_event;
            // The marker says it better than the comment a bad use gets.
            const bool bad_use = (e.kind == EventKind::Use || e.kind == EventKind::DriverFree) &&
                                 e.resource_state != ResourceState::Live;
            if (!(marked && bad_use)) event(step, e, pointers[k], resources_present);
            if (marked) comment(marker);
        }
    }

    [[nodiscard]] std::string take() { return std::move(out_); }
    [[nodiscard]] int resyncs() const { return pointers_.resyncs(); }

private:
    void line(const std::string& text) {
        char stamp[40];
        std::snprintf(stamp, sizeof stamp, "[%5zu.%06zu] ", number_, line_++);
        out_ += stamp + text + "\n";
    }

    // dev_printk's prefix: the bound driver's name, or (no driver bound) the
    // bus name, which the model does not know: the scenario's device name stands in.
    std::string prefix(int device, bool driver_bound) const {
        if (device < 0 || static_cast<std::size_t>(device) >= s_.devices.size()) return "? ?: ";
        const Device& d = s_.devices[static_cast<std::size_t>(device)];
        const std::string who = driver_bound && d.driver >= 0 ? driver_name(s_, d.driver) : d.name;
        return who + " " + d.bus_id + ": ";
    }
    std::string prefix(int device) const {
        return prefix(device, device >= 0 && static_cast<std::size_t>(device) < driver_set_.size() &&
                                  driver_set_[static_cast<std::size_t>(device)]);
    }

    std::string node_text(const Node& n) const {
        switch (n.kind) {
        case NodeKind::Resource: {
            const Resource& r = s_.resources.at(n.resource);
            return r.log_name() + " (" + std::to_string(r.size) + " bytes)";
        }
        case NodeKind::GroupOpen: return "grp< (0 bytes)";
        case NodeKind::GroupClose: return "grp> (0 bytes)";
        }
        return "?";
    }

    void devres_line(const Event& e, const char* op, std::uint64_t pointer) {
        line(prefix(e.device) + "DEVRES " + op + " " + DevresPointers::format(pointer) + " " + node_text(e.node));
    }

    void warning(const std::string& file, std::string_view function) {
        line("------------[ cut here ]------------");
        line("WARNING: at " + file + " " + std::string(function) + "()");
        line("---[ end trace 0000000000000000 ]---");
    }

    int thread_device(int thread) const {
        if (thread < 0 || static_cast<std::size_t>(thread) >= s_.drivers.size()) return -1;
        return s_.drivers[static_cast<std::size_t>(thread)].device;
    }

    void set_driver(int device, bool bound) {
        if (device >= 0 && static_cast<std::size_t>(device) < driver_set_.size())
            driver_set_[static_cast<std::size_t>(device)] = bound;
    }

    std::string resource_word(const Event& e) const { return resource_name(s_, e.node.resource); }

    void event(const TraceStep& step, const Event& e, std::uint64_t pointer, bool& resources_present) {
        switch (e.kind) {
        case EventKind::DevresAdd: devres_line(e, "ADD", pointer); return;
        case EventKind::DevresRemove: devres_line(e, "REM", pointer); return;
        case EventKind::DevresRelease: devres_line(e, "REL", pointer); return;
        case EventKind::ProbeBegin: set_driver(thread_device(e.thread), true); return;
        case EventKind::RemoveEnd: set_driver(thread_device(e.thread), false); return;
        case EventKind::ProbeEnd:
            if (e.value >= 0) return;
            set_driver(thread_device(e.thread), false);
            // really_probe's pr_warn; deferral and "no such device" are not reported.
            if (!resources_present && e.value != kEPROBE_DEFER && e.value != kENODEV) {
                const int device = thread_device(e.thread);
                line(driver_name(s_, e.thread) + ": probe of " +
                     (device >= 0 ? s_.devices[static_cast<std::size_t>(device)].bus_id : std::string("?")) +
                     " failed with error " + std::to_string(e.value));
            }
            return;
        case EventKind::KernelMessage: {
            const int parent = e.master >= 0 ? s_.masters.at(static_cast<std::size_t>(e.master)).parent : -1;
            if (e.touch == TouchPoint::DT9 && e.component >= 0) {
                const Component& c = s_.components.at(static_cast<std::size_t>(e.component));
                line(prefix(parent) + "failed to bind " + s_.devices.at(static_cast<std::size_t>(c.device)).bus_id +
                     " (ops " + c.name + "): " + std::to_string(e.value));
            } else {
                line(prefix(parent) + "master bind failed: " + std::to_string(e.value));
            }
            return;
        }
        case EventKind::Warn: warn(step, e, resources_present); return;
        case EventKind::Bug:
            if (e.bug == BugKind::CloseClosedGroup) {
                line("------------[ cut here ]------------");
                line("kernel BUG at drivers/base/devres.c!");
            } else {
                line("BUG: kernel NULL pointer dereference");
            }
            comment(std::string(bug_description(e.bug)));
            return;
        case EventKind::Use:
        case EventKind::DriverFree: {
            if (e.resource_state == ResourceState::Live) return;
            const std::string state = e.resource_state == ResourceState::Released ? "which devres released"
                                      : e.resource_state == ResourceState::Freed  ? "which it freed itself"
                                                                                  : "which was never allocated";
            comment(driver_name(s_, e.thread) + (e.kind == EventKind::Use ? " uses " : " frees ") + resource_word(e) +
                    ", " + state);
            return;
        }
        default: return;
        }
    }

    void warn(const TraceStep& step, const Event& e, bool& resources_present) {
        switch (e.warn) {
        case WarnKind::ResourcesPresentBeforeProbing:
            // really_probe checks before it sets dev->driver.
            resources_present = true;
            line(prefix(e.device, false) + "Resources present before probing");
            return;
        case WarnKind::GroupNotFound: {
            std::optional<Op> op;
            const Thread& th = step.before.threads.at(step.step.thread);
            if (step.step.action == Action::Continue && !th.stack.empty()) {
                const Frame& f = th.stack.back();
                op = model_.programs().programs.at(f.program).code.at(f.pc).op;
            }
            warning("drivers/base/devres.c", group_function(e.touch, op));
            return;
        }
        case WarnKind::DevmFreeNotFound: warning("drivers/base/devres.c", "devm_kfree"); return;
        case WarnKind::UnbindUnbound: warning("drivers/base/component.c", "component_unbind"); return;
        case WarnKind::ComponentDelNotFound: warning("drivers/base/component.c", "component_del"); return;
        case WarnKind::TypedSubcomponentZero: warning("drivers/base/component.c", "component_add_typed"); return;
        case WarnKind::DuplicateRegistration:
            comment(std::string(warn_description(e.warn)) + " (beyond the model)");
            return;
        }
    }

    const BindModel& model_;
    const Scenario& s_;
    DevresPointers pointers_;
    std::vector<bool> driver_set_; // per device: dev->driver is set
    std::string out_;
    std::size_t number_ = 0, line_ = 0;
};

} // namespace

std::string render_dmesg(const BindModel& model, const Counterexample& cx, const std::string& scenario_path) {
    DmesgLog log(model);
    const Property& p = *cx.property;
    log.comment(std::string(p.name()) + " (" + std::string(p.invariant()) + ") violated in " +
                std::to_string(cx.trace.steps.size()) + " steps: scenario " + scenario_path + ", variant " +
                model.variant().name + " (" + model.variant().commit + "), granularity " +
                (model.granularity() == Granularity::Call ? "call" : "devres") + "; timestamps: step.line");
    const std::string marker = "^ " + std::string(p.name()) + ": " + cx.violation.reason + ".";
    for (std::size_t k = 0; k < cx.trace.steps.size(); ++k) {
        const bool last = k + 1 == cx.trace.steps.size();
        const World& after = last ? cx.trace.final : cx.trace.steps[k + 1].before;
        log.step(k + 1, cx.trace.steps[k], after, last ? cx.violation.event : -1, marker);
    }
    if (cx.violation.event < 0)
        log.comment(std::string(p.name()) + " violated in the final state: " + cx.violation.reason + ".");
    return log.take();
}

} // namespace bindcheck::counterexamples
