#include "counterexamples/step_description.hpp"

#include "properties/naming.hpp"

namespace bindcheck::counterexamples {

using namespace model;
using properties::device_name;
using properties::errno_name;
using properties::resource_name;

namespace {

std::string object_name(const Scenario& s, const Frame& f, bool master) {
    if (master) return f.m >= 0 ? s.masters.at(static_cast<std::size_t>(f.m)).name : "?";
    return f.c >= 0 ? s.components.at(static_cast<std::size_t>(f.c)).name : "?";
}

int device_of(const Scenario& s, const Instruction& i, const Frame& f, int thread) {
    switch (i.device.kind) {
    case DeviceOperand::Fixed: return i.device.device;
    case DeviceOperand::MasterParent: return f.m >= 0 ? s.masters.at(static_cast<std::size_t>(f.m)).parent : -1;
    case DeviceOperand::ComponentDevice: return f.c >= 0 ? s.components.at(static_cast<std::size_t>(f.c)).device : -1;
    case DeviceOperand::DriverDevice: return s.drivers.at(static_cast<std::size_t>(thread)).device;
    }
    return -1;
}

std::string id_text(const Scenario& s, const Instruction& i, const Frame& f) {
    switch (i.id.kind) {
    case IdOperand::Null: return "NULL";
    case IdOperand::Master: return object_name(s, f, true);
    case IdOperand::Component: return object_name(s, f, false);
    case IdOperand::Named: return s.group_ids.at(i.id.named);
    }
    return "?";
}

std::string touch_prefix(const Instruction& i) {
    if (i.touch == TouchPoint::Driver || properties::is_release_all(i.touch)) return "";
    return std::string(properties::touch_point_name(i.touch)) + " ";
}

std::string instruction_text(const BindModel& model, const Instruction& i, const Frame& f, int thread) {
    const Scenario& s = model.scenario();
    const std::string dev = device_name(s, device_of(s, i, f, thread));
    switch (i.op) {
    case Op::DevresAdd:
        if (i.b == 1)
            return touch_prefix(i) + "devres_add(" + dev + ", devm_component_match_release)";
        return "devm " + resource_name(s, i.a) + " on " + dev;
    case Op::DevresOpenGroup: return touch_prefix(i) + "devres_open_group(" + dev + ", " + id_text(s, i, f) + ")";
    case Op::DevresCloseGroup: return touch_prefix(i) + "devres_close_group(" + dev + ", " + id_text(s, i, f) + ")";
    case Op::DevresRemoveGroup:
        return touch_prefix(i) + "devres_remove_group(" + dev + ", " + id_text(s, i, f) + ")";
    case Op::DevresReleaseGroup:
        return touch_prefix(i) + "devres_release_group(" + dev + ", " + id_text(s, i, f) + ")";
    case Op::DevresReleaseAll:
        return "devres_release_all(" + dev + ") (" + std::string(properties::touch_point_name(i.touch)) + ")";
    case Op::DevresRelease: return "devm_free " + resource_name(s, i.a) + " on " + dev;
    case Op::Use: return "use " + resource_name(s, i.a);
    case Op::Free: return "free " + resource_name(s, i.a) + " by hand";
    case Op::Lock: return "mutex_lock(&component_mutex)";
    case Op::Unlock: return "mutex_unlock(&component_mutex)";
    case Op::Complete: return "complete(" + s.completions.at(i.a) + ")";
    case Op::Wait: return std::string(i.imm ? "wait_for_completion_timeout(" : "wait_for_completion(") +
                          s.completions.at(i.a) + ")";
    case Op::InitCompletion: return "init_completion(" + s.completions.at(i.a) + ")";
    case Op::MayFail: return "may fail with " + errno_name(i.imm);
    case Op::MasterInsert: return "add master " + object_name(s, f, true) + " at the head of masters";
    case Op::FreeMaster: return "free_master(" + object_name(s, f, true) + ")";
    case Op::ComponentAppend: return "add " + object_name(s, f, false) + " at the tail of component_list";
    case Op::ComponentUnlink: return "unlink " + object_name(s, f, false) + " from component_list";
    case Op::FindComponents: return "find_components(" + object_name(s, f, true) + ")";
    case Op::RemoveComponent:
        return "remove_component(" + object_name(s, f, true) + ", " + object_name(s, f, false) + ")";
    case Op::SetMasterBound: return object_name(s, f, true) + "->bound = " + (i.imm ? "true" : "false");
    case Op::SetComponentBound: return object_name(s, f, false) + "->bound = " + (i.imm ? "true" : "false");
    default: return "?";
    }
}

std::string call_with_argument(const BindModel& model, const Program& p, const Frame& f) {
    const auto& e = model.programs().entry;
    const Scenario& s = model.scenario();
    const auto index = static_cast<std::uint16_t>(&p - model.programs().programs.data());
    const bool on_component = index == e.component_add || index == e.component_add_typed ||
                              index == e.component_del || index == e.component_bind ||
                              index == e.component_unbind;
    const bool on_master = index == e.component_master_add_with_match || index == e.component_master_del ||
                           index == e.try_to_bring_up_master || index == e.take_down_master;
    if (on_component) return p.name + "(" + object_name(s, f, false) + ")";
    if (on_master) return p.name + "(" + object_name(s, f, true) + ")";
    return p.name;
}

} // namespace

std::string step_location(const BindModel& model, const World& before, const Step& step) {
    switch (step.action) {
    case Action::Probe: return "really_probe";
    case Action::Remove: return "__device_release_driver";
    case Action::Resume: return "rpm_resume";
    case Action::Continue: break;
    }
    const Thread& th = before.threads.at(step.thread);
    const auto& programs = model.programs().programs;
    // The outermost framework call, then the innermost function if it differs:
    // "component_del(i915_audio) > take_down_master(audio)".
    const Frame* outer = nullptr;
    const Frame* inner = nullptr;
    for (const Frame& f : th.stack) {
        const Program& p = programs[f.program];
        if (p.kind == ProgramKind::Framework && !outer) outer = &f;
        inner = &f;
    }
    if (!inner) return "";
    // With call granularity the step is the whole call.
    if (outer && model.granularity() == Granularity::Call)
        return call_with_argument(model, programs[outer->program], *outer);
    const Program& inner_program = programs[inner->program];
    if (!outer) return inner_program.name;
    if (inner_program.kind == ProgramKind::DriverBlock)
        return call_with_argument(model, programs[outer->program], *outer) + " > " + inner_program.name;
    std::string text = call_with_argument(model, programs[outer->program], *outer);
    if (inner != outer) text += " > " + call_with_argument(model, inner_program, *inner);
    return text;
}

std::string step_action(const BindModel& model, const World& before, const Step& step) {
    switch (step.action) {
    case Action::Probe: return "probe";
    case Action::Remove: return "remove";
    case Action::Resume: return "runtime_resume";
    case Action::Continue: break;
    }
    const Thread& th = before.threads.at(step.thread);
    const auto& programs = model.programs().programs;
    if (model.granularity() == Granularity::Call)
        for (const Frame& f : th.stack)
            if (programs[f.program].kind == ProgramKind::Framework) return "";
    const Frame& f = th.stack.back();
    const Instruction& i = programs[f.program].code[f.pc];
    return instruction_text(model, i, f, step.thread);
}

} // namespace bindcheck::counterexamples
