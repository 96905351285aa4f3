// The driver core around a driver's callbacks (spec 1.6): really_probe,
// __device_release_driver and the runtime-PM resume path, and the scenario's
// driver blocks compiled to the step language.

#include "model/program_set.hpp"

namespace bindcheck::model {
namespace {

Program core(const char* name) {
    Program program;
    program.name = name;
    program.kind = ProgramKind::DriverCore;
    return program;
}

Instruction& release_all(ProgramBuilder& p, TouchPoint why) {
    Instruction& i = p.emit(Op::DevresReleaseAll);
    i.device = {DeviceOperand::DriverDevice, 0};
    i.touch = why;
    return i;
}

std::uint16_t really_probe(ProgramSet& set) {
    Program program = core("really_probe");
    ProgramBuilder p(program);
    auto failed = p.label(), busy = p.label();
    // Checks "Resources present before probing" (r = -EBUSY, no cleanup).
    p.emit_jump(Op::ActivityBegin, busy).imm = static_cast<std::int16_t>(EventKind::ProbeBegin);
    p.emit(Op::CallBlock).a = static_cast<std::uint8_t>(BlockRole::Probe);
    p.emit_jump(Op::JumpIfRetNegative, failed);
    p.emit(Op::ActivityEnd).imm = static_cast<std::int16_t>(EventKind::ProbeEnd);
    p.place(failed);
    release_all(p, TouchPoint::ProbeFailure);
    p.place(busy);
    p.emit(Op::ActivityEnd).imm = static_cast<std::int16_t>(EventKind::ProbeEnd);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t device_release_driver(ProgramSet& set) {
    Program program = core("__device_release_driver");
    ProgramBuilder p(program);
    p.emit(Op::ActivityBegin).imm = static_cast<std::int16_t>(EventKind::RemoveBegin);
    p.emit(Op::CallBlock).a = static_cast<std::uint8_t>(BlockRole::Remove);
    release_all(p, TouchPoint::DriverDetach);
    p.emit(Op::ActivityEnd).imm = static_cast<std::int16_t>(EventKind::RemoveEnd);
    p.finish();
    return set.add(std::move(program));
}

std::uint16_t rpm_resume(ProgramSet& set) {
    Program program = core("rpm_resume");
    ProgramBuilder p(program);
    p.emit(Op::ActivityBegin).imm = static_cast<std::int16_t>(EventKind::ResumeBegin);
    p.emit(Op::CallBlock).a = static_cast<std::uint8_t>(BlockRole::RuntimeResume);
    p.emit(Op::ActivityEnd).imm = static_cast<std::int16_t>(EventKind::ResumeEnd);
    p.finish();
    return set.add(std::move(program));
}

DeviceOperand device_of(const Statement& s, int block_device) {
    return {DeviceOperand::Fixed, static_cast<std::uint8_t>(s.device >= 0 ? s.device : block_device)};
}

IdOperand group_id_of(const Statement& s) {
    if (s.group_id < 0) return {IdOperand::Null, 0};
    return {IdOperand::Named, static_cast<std::uint8_t>(s.group_id)};
}

void compile_statement(ProgramBuilder& p, const ProgramSet& set, const Statement& s, int block_device,
                       ProgramBuilder::Label propagate_error) {
    auto call = [&](std::uint16_t program, bool propagates) {
        p.emit(Op::Call).a = static_cast<std::uint8_t>(program);
        if (propagates) p.emit_jump(Op::JumpIfRetNegative, propagate_error);
    };
    auto set_local = [&](Op op, int value) { p.emit(op).imm = static_cast<std::int16_t>(value); };
    switch (s.kind) {
    case StatementKind::Devm: {
        Instruction& i = p.emit(Op::DevresAdd);
        i.a = static_cast<std::uint8_t>(s.resource);
        i.device = device_of(s, block_device);
        break;
    }
    case StatementKind::Use: p.emit(Op::Use).a = static_cast<std::uint8_t>(s.resource); break;
    case StatementKind::Free: p.emit(Op::Free).a = static_cast<std::uint8_t>(s.resource); break;
    case StatementKind::DevmFree: {
        Instruction& i = p.emit(Op::DevresRelease);
        i.a = static_cast<std::uint8_t>(s.resource);
        i.device = device_of(s, block_device);
        break;
    }
    case StatementKind::ComponentAdd:
        set_local(Op::SetLocalC, s.component);
        call(set.entry.component_add, true);
        break;
    case StatementKind::ComponentAddTyped:
        set_local(Op::SetLocalC, s.component);
        set_local(Op::SetLocalI, s.subcomponent == 0 ? 0 : 1);
        call(set.entry.component_add_typed, true);
        break;
    case StatementKind::ComponentDel:
        set_local(Op::SetLocalC, s.component);
        call(set.entry.component_del, false);
        break;
    case StatementKind::ComponentMasterAddWithMatch:
        set_local(Op::SetLocalM, s.master);
        call(set.entry.component_master_add_with_match, true);
        break;
    case StatementKind::ComponentMasterDel:
        set_local(Op::SetLocalM, s.master);
        call(set.entry.component_master_del, false);
        break;
    case StatementKind::ComponentBindAll: call(set.entry.component_bind_all, true); break;
    case StatementKind::ComponentUnbindAll: call(set.entry.component_unbind_all, false); break;
    case StatementKind::DevresOpenGroup:
    case StatementKind::DevresCloseGroup:
    case StatementKind::DevresRemoveGroup:
    case StatementKind::DevresReleaseGroup: {
        static constexpr Op ops[] = {Op::DevresOpenGroup, Op::DevresCloseGroup, Op::DevresRemoveGroup,
                                     Op::DevresReleaseGroup};
        Instruction& i =
            p.emit(ops[static_cast<int>(s.kind) - static_cast<int>(StatementKind::DevresOpenGroup)]);
        i.device = device_of(s, block_device);
        i.id = group_id_of(s);
        break;
    }
    case StatementKind::Complete: p.emit(Op::Complete).a = static_cast<std::uint8_t>(s.completion); break;
    case StatementKind::Wait: {
        Instruction& i = p.emit(Op::Wait);
        i.a = static_cast<std::uint8_t>(s.completion);
        i.imm = s.timeout ? 1 : 0;
        break;
    }
    case StatementKind::InitCompletion:
        p.emit(Op::InitCompletion).a = static_cast<std::uint8_t>(s.completion);
        break;
    case StatementKind::MayFail: p.emit(Op::MayFail).imm = static_cast<std::int16_t>(s.error); break;
    case StatementKind::DeviceUnregister: {
        Instruction& i = p.emit(Op::DevresReleaseAll);
        i.device = device_of(s, block_device);
        i.touch = TouchPoint::DeviceUnregister;
        break;
    }
    }
}

int compile_block(ProgramSet& set, const Block& block, BlockRole role, int driver,
                  int object, int block_device, std::string name) {
    if (!block.present && role != BlockRole::Probe && role != BlockRole::Remove) return kNoProgram;
    Program program;
    program.name = std::move(name);
    program.kind = ProgramKind::DriverBlock;
    program.role = role;
    program.driver = driver;
    program.object = object;
    ProgramBuilder p(program);
    auto propagate_error = p.label();
    for (const Statement& s : block.statements) {
        const std::size_t begin = program.code.size();
        compile_statement(p, set, s, block_device, propagate_error);
        for (std::size_t k = begin; k < program.code.size(); ++k) program.code[k].source_line = s.where.line;
    }
    if (block.may_fail) {
        Instruction& i = p.emit(Op::MayFail);
        i.imm = static_cast<std::int16_t>(block.fail_error);
        i.source_line = block.where.line;
    }
    p.emit(Op::ReturnValue).imm = 0;
    p.place(propagate_error);
    p.emit(Op::Return);
    p.finish();
    return set.add(std::move(program));
}

} // namespace

void add_driver_core(ProgramSet& set) {
    set.entry.really_probe = really_probe(set);
    set.entry.device_release_driver = device_release_driver(set);
    set.entry.rpm_resume = rpm_resume(set);
}

void add_driver_blocks(ProgramSet& set, const Scenario& scenario) {
    set.master_blocks.assign(scenario.masters.size(), {kNoProgram, kNoProgram});
    set.component_blocks.assign(scenario.components.size(), {kNoProgram, kNoProgram});
    for (std::size_t d = 0; d < scenario.drivers.size(); ++d) {
        const Driver& driver = scenario.drivers[d];
        const int id = static_cast<int>(d);
        ProgramSet::DriverBlocks blocks;
        blocks.probe = compile_block(set, driver.probe, BlockRole::Probe, id, -1, driver.device,
                                     driver.name + " probe");
        blocks.remove = compile_block(set, driver.remove, BlockRole::Remove, id, -1, driver.device,
                                      driver.name + " remove");
        blocks.runtime_resume = compile_block(set, driver.runtime_resume, BlockRole::RuntimeResume, id,
                                              -1, driver.device, driver.name + " runtime_resume");
        set.drivers.push_back(blocks);
        for (int m : driver.masters) {
            const Master& master = scenario.masters[static_cast<std::size_t>(m)];
            set.master_blocks[static_cast<std::size_t>(m)] = {
                compile_block(set, master.bind, BlockRole::MasterBind, id, m, master.parent,
                              master.name + " bind"),
                compile_block(set, master.unbind, BlockRole::MasterUnbind, id, m, master.parent,
                              master.name + " unbind")};
        }
        for (int c : driver.components) {
            const Component& component = scenario.components[static_cast<std::size_t>(c)];
            set.component_blocks[static_cast<std::size_t>(c)] = {
                compile_block(set, component.bind, BlockRole::ComponentBind, id, c, component.device,
                              component.name + " bind"),
                compile_block(set, component.unbind, BlockRole::ComponentUnbind, id, c,
                              component.device, component.name + " unbind")};
        }
    }
}

} // namespace bindcheck::model
