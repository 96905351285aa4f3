// drivers/base/component.c as programs in the step language (spec section 2).
// Each function below writes out the kernel function of the same name, in
// the kernel's order; the variant decides the master group's calls (spec 3.3).

#include "model/program_set.hpp"

namespace bindcheck::model {
namespace {

constexpr DeviceOperand kParent{DeviceOperand::MasterParent, 0};
constexpr DeviceOperand kComponentDevice{DeviceOperand::ComponentDevice, 0};
constexpr IdOperand kNull{IdOperand::Null, 0};
constexpr IdOperand kMasterId{IdOperand::Master, 0};
constexpr IdOperand kComponentId{IdOperand::Component, 0};

IdOperand id_of(GroupCall call) { return call == GroupCall::MasterId ? kMasterId : kNull; }

Instruction& devres(ProgramBuilder& p, Op op, DeviceOperand device, IdOperand id, TouchPoint touch) {
    Instruction& i = p.emit(op);
    i.device = device;
    i.id = id;
    i.touch = touch;
    return i;
}

Instruction& open_group_or(ProgramBuilder& p, DeviceOperand device, IdOperand id, TouchPoint touch,
                           ProgramBuilder::Label on_enomem) {
    Instruction& i = p.emit_jump(Op::DevresOpenGroup, on_enomem);
    i.device = device;
    i.id = id;
    i.touch = touch;
    return i;
}

// Marks where a bind scope ends (b: 0 = master m, 1 = component c), so that
// bind-scope can check that nothing allocated in it survives.
void bind_scope_end(ProgramBuilder& p, int b, TouchPoint where) {
    Instruction& i = p.emit(Op::BindScopeEnd);
    i.b = static_cast<std::uint8_t>(b);
    i.touch = where;
}

void call(ProgramBuilder& p, std::uint16_t program) { p.emit(Op::Call).a = static_cast<std::uint8_t>(program); }

void call_block(ProgramBuilder& p, BlockRole role) { p.emit(Op::CallBlock).a = static_cast<std::uint8_t>(role); }

void return_value(ProgramBuilder& p, int value) { p.emit(Op::ReturnValue).imm = static_cast<std::int16_t>(value); }

Program named(const char* name) {
    Program program;
    program.name = name;
    program.kind = ProgramKind::Framework;
    return program;
}

std::uint16_t component_unbind(ProgramSet& set, const Variant& variant) {
    Program program = named("component_unbind");
    ProgramBuilder p(program);
    auto bound = p.label();
    p.emit_jump(Op::JumpIfComponentBound, bound);
    p.emit(Op::Warn).imm = static_cast<std::int16_t>(WarnKind::UnbindUnbound);
    if (variant.unbind_of_unbound_returns_early) p.emit(Op::ReturnVoid);
    p.place(bound);
    call_block(p, BlockRole::ComponentUnbind);
    p.emit(Op::SetComponentBound).imm = 0;
    devres(p, Op::DevresReleaseGroup, kComponentDevice, kComponentId, TouchPoint::DT10);
    bind_scope_end(p, 1, TouchPoint::DT10);
    p.emit(Op::ReturnVoid);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t component_bind(ProgramSet& set) {
    Program program = named("component_bind");
    ProgramBuilder p(program);
    auto parent_enomem = p.label(), component_enomem = p.label(), failed = p.label();
    // A transient group on the parent catches what the bind allocates there,
    // so that one component's failure rolls back without touching the rest.
    open_group_or(p, kParent, kNull, TouchPoint::DT3, parent_enomem);
    open_group_or(p, kComponentDevice, kComponentId, TouchPoint::DT4, component_enomem);
    call_block(p, BlockRole::ComponentBind);
    p.emit_jump(Op::JumpIfRetNonZero, failed);
    p.emit(Op::SetComponentBound).imm = 1;
    devres(p, Op::DevresCloseGroup, kComponentDevice, kNull, TouchPoint::DT6);
    devres(p, Op::DevresRemoveGroup, kParent, kNull, TouchPoint::DT7);
    return_value(p, 0);

    p.place(failed);
    devres(p, Op::DevresReleaseGroup, kComponentDevice, kNull, TouchPoint::DT8);
    devres(p, Op::DevresReleaseGroup, kParent, kNull, TouchPoint::DT9);
    bind_scope_end(p, 1, TouchPoint::DT9);
    p.emit(Op::KernelMessageUnlessDefer).touch = TouchPoint::DT9; // "failed to bind ...", after DT8 and DT9
    p.emit(Op::Return);

    p.place(component_enomem);
    devres(p, Op::DevresReleaseGroup, kParent, kNull, TouchPoint::DT5);
    p.place(parent_enomem);
    p.emit(Op::Return);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t component_bind_all(ProgramSet& set) {
    Program program = named("component_bind_all");
    ProgramBuilder p(program);
    auto no_master = p.label(), next = p.label(), all_bound = p.label(), failed = p.label(),
         unwind = p.label(), unwound = p.label(), null_component = p.label();
    p.emit_jump(Op::SetMasterByParent, no_master);
    p.emit(Op::SetLocalI).imm = 0;
    p.place(next);
    p.emit_jump(Op::NextEntry, all_bound);
    p.emit_jump(Op::JumpIfNoComponent, null_component);
    call(p, set.entry.component_bind);
    p.emit_jump(Op::JumpIfRetNonZero, failed);
    p.emit_jump(Op::Jump, next);
    p.place(all_bound);
    return_value(p, 0);

    // The failing component rolled itself back; unbind the earlier ones, last first.
    p.place(failed);
    p.emit(Op::DecrementI);
    p.place(unwind);
    p.emit_jump(Op::PrevEntry, unwound);
    call(p, set.entry.component_unbind);
    p.emit_jump(Op::Jump, unwind);
    p.place(unwound);
    p.emit(Op::Return);

    p.place(no_master);
    return_value(p, kEINVAL);
    p.place(null_component);
    p.emit(Op::Bug).imm = static_cast<std::int16_t>(BugKind::NullComponentUnbind);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t component_unbind_all(ProgramSet& set) {
    Program program = named("component_unbind_all");
    ProgramBuilder p(program);
    auto done = p.label(), next = p.label(), null_component = p.label();
    p.emit_jump(Op::SetMasterByParent, done);
    p.emit(Op::SetLocalI).imm = 127; // PrevEntry starts from the last entry
    p.place(next);
    p.emit_jump(Op::PrevEntry, done);
    p.emit_jump(Op::JumpIfNoComponent, null_component);
    call(p, set.entry.component_unbind);
    p.emit_jump(Op::Jump, next);
    p.place(done);
    p.emit(Op::ReturnVoid);
    p.place(null_component);
    p.emit(Op::Bug).imm = static_cast<std::int16_t>(BugKind::NullComponentUnbind);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t take_down_master(ProgramSet& set, const Variant& variant) {
    Program program = named("take_down_master");
    ProgramBuilder p(program);
    auto done = p.label();
    p.emit_jump(Op::JumpIfMasterUnbound, done);
    call_block(p, BlockRole::MasterUnbind);
    if (variant.release_at_take_down != GroupCall::Absent)
        devres(p, Op::DevresReleaseGroup, kParent, id_of(variant.release_at_take_down), TouchPoint::DT11);
    p.emit(Op::SetMasterBound).imm = 0;
    bind_scope_end(p, 0, TouchPoint::DT11);
    p.place(done);
    p.emit(Op::ReturnVoid);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t try_to_bring_up_master(ProgramSet& set, const Variant& variant) {
    Program program = named("try_to_bring_up_master");
    ProgramBuilder p(program);
    auto not_ready = p.label(), failed = p.label(), enomem = p.label();
    p.emit(Op::FindComponents);
    p.emit_jump(Op::JumpIfRetZero, not_ready);
    p.emit_jump(Op::JumpIfTriggerNotAttached, not_ready);
    if (variant.master_group_open != GroupCall::Absent)
        open_group_or(p, kParent, id_of(variant.master_group_open), TouchPoint::DT1, enomem);
    call_block(p, BlockRole::MasterBind);
    p.emit_jump(Op::JumpIfRetNegative, failed); // only a negative return is a failure here
    if (variant.close_after_bind != GroupCall::Absent)
        devres(p, Op::DevresCloseGroup, kParent, id_of(variant.close_after_bind), TouchPoint::PostBindClose);
    p.emit(Op::SetMasterBound).imm = 1;
    return_value(p, 1);

    p.place(failed);
    if (variant.release_on_bind_failure != GroupCall::Absent)
        devres(p, Op::DevresReleaseGroup, kParent, id_of(variant.release_on_bind_failure), TouchPoint::DT2);
    bind_scope_end(p, 0, TouchPoint::DT2);
    p.emit(Op::KernelMessageUnlessDefer).touch = TouchPoint::DT2; // "master bind failed", after DT2
    p.place(enomem);
    p.emit(Op::Return);
    p.place(not_ready);
    return_value(p, 0);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t try_to_bring_up_masters(ProgramSet& set) {
    Program program = named("try_to_bring_up_masters");
    ProgramBuilder p(program);
    auto next = p.label(), none = p.label(), done = p.label();
    p.emit(Op::SetLocalI).imm = 0;
    p.place(next);
    p.emit_jump(Op::NextUnboundMaster, none);
    call(p, set.entry.try_to_bring_up_master);
    p.emit_jump(Op::JumpIfRetNonZero, done);
    p.emit_jump(Op::Jump, next);
    p.place(done);
    p.emit(Op::Return);
    p.place(none);
    return_value(p, 0);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t component_master_add_with_match(ProgramSet& set) {
    Program program = named("component_master_add_with_match");
    ProgramBuilder p(program);
    auto failed = p.label();
    // DT0 belongs to component_match_add, which the driver calls just before.
    Instruction& match = p.emit(Op::DevresAdd);
    match.device = kParent;
    match.touch = TouchPoint::DT0;
    match.b = 1; // the resource is the master's match header, not operand a
    p.emit(Op::Lock);
    p.emit(Op::MasterInsert);
    p.emit(Op::SetLocalC).imm = -1;
    call(p, set.entry.try_to_bring_up_master);
    p.emit_jump(Op::JumpIfRetNegative, failed);
    p.emit(Op::Unlock);
    return_value(p, 0);
    p.place(failed);
    p.emit(Op::FreeMaster);
    p.emit(Op::Unlock);
    p.emit(Op::Return);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t component_master_del(ProgramSet& set) {
    Program program = named("component_master_del");
    ProgramBuilder p(program);
    auto unlock = p.label();
    p.emit(Op::Lock);
    p.emit_jump(Op::JumpIfMasterUnregistered, unlock);
    call(p, set.entry.take_down_master);
    p.emit(Op::FreeMaster);
    p.place(unlock);
    p.emit(Op::Unlock);
    p.emit(Op::ReturnVoid);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t component_add(ProgramSet& set) {
    Program program = named("component_add");
    ProgramBuilder p(program);
    auto failed = p.label(), unlink = p.label(), duplicate = p.label();
    p.emit(Op::Lock);
    p.emit_jump(Op::JumpIfComponentRegistered, duplicate);
    p.emit(Op::ComponentAppend);
    call(p, set.entry.try_to_bring_up_masters);
    p.emit_jump(Op::JumpIfRetNegative, failed);
    p.emit(Op::Unlock);
    return_value(p, 0);

    p.place(failed);
    p.emit(Op::SetMasterFromComponent);
    p.emit_jump(Op::JumpIfNoMaster, unlink);
    p.emit(Op::RemoveComponent);
    p.place(unlink);
    p.emit(Op::ComponentUnlink);
    p.emit(Op::FreeComponent);
    p.emit(Op::Unlock);
    p.emit(Op::Return);

    p.place(duplicate);
    p.emit(Op::Warn).imm = static_cast<std::int16_t>(WarnKind::DuplicateRegistration);
    p.emit(Op::Unlock);
    return_value(p, kEBUSY);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t component_add_typed(ProgramSet& set) {
    Program program = named("component_add_typed");
    ProgramBuilder p(program);
    auto typed = p.label();
    p.emit_jump(Op::JumpIfSubcomponentNonZero, typed);
    p.emit(Op::Warn).imm = static_cast<std::int16_t>(WarnKind::TypedSubcomponentZero);
    return_value(p, kEINVAL);
    p.place(typed);
    call(p, set.entry.component_add);
    p.emit(Op::Return);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t component_del(ProgramSet& set) {
    Program program = named("component_del");
    ProgramBuilder p(program);
    auto not_found = p.label(), unlock = p.label();
    p.emit(Op::Lock);
    p.emit_jump(Op::JumpIfComponentUnregistered, not_found);
    p.emit(Op::SetMasterFromComponent);
    p.emit(Op::ComponentUnlink);
    p.emit_jump(Op::JumpIfNoMaster, unlock);
    call(p, set.entry.take_down_master);
    p.emit(Op::RemoveComponent);
    p.place(unlock);
    p.emit(Op::Unlock);
    p.emit(Op::FreeComponent);
    p.emit(Op::ReturnVoid);
    p.place(not_found);
    p.emit(Op::Unlock);
    p.emit(Op::Warn).imm = static_cast<std::int16_t>(WarnKind::ComponentDelNotFound);
    p.emit(Op::ReturnVoid);
    p.finish();
    return set.add(std::move(program));
}

} // namespace

void add_component_framework(ProgramSet& set, const Variant& variant) {
    FrameworkEntry& e = set.entry;
    // Callees first: a call instruction names its callee's index.
    e.component_unbind = component_unbind(set, variant);
    e.component_bind = component_bind(set);
    e.component_bind_all = component_bind_all(set);
    e.component_unbind_all = component_unbind_all(set);
    e.take_down_master = take_down_master(set, variant);
    e.try_to_bring_up_master = try_to_bring_up_master(set, variant);
    e.try_to_bring_up_masters = try_to_bring_up_masters(set);
    e.component_master_add_with_match = component_master_add_with_match(set);
    e.component_master_del = component_master_del(set);
    e.component_add = component_add(set);
    e.component_add_typed = component_add_typed(set);
    e.component_del = component_del(set);
}

} // namespace bindcheck::model
