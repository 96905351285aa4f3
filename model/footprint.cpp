#include "model/footprint.hpp"

#include <algorithm>

#include "model/model_limit.hpp"

namespace bindcheck::model {
namespace {

// Where control can go after an instruction, for the static summaries.
enum class Flow { Next, JumpOrNext, JumpOnly, Exit, NextOrExit, Dies, Calls };

// No default: a new instruction must say how it flows, or the build fails.
Flow flow_of(Op op) {
    switch (op) {
    case Op::ActivityBegin:     // "resources present": jump to the end
    case Op::DevresOpenGroup:   // -ENOMEM: jump
    case Op::JumpIfRetZero:
    case Op::JumpIfRetNonZero:
    case Op::JumpIfRetNegative:
    case Op::JumpIfTriggerNotAttached:
    case Op::JumpIfMasterUnbound:
    case Op::JumpIfMasterUnregistered:
    case Op::JumpIfComponentBound:
    case Op::JumpIfComponentRegistered:
    case Op::JumpIfComponentUnregistered:
    case Op::JumpIfNoMaster:
    case Op::JumpIfSubcomponentNonZero:
    case Op::JumpIfNoComponent:
    case Op::SetMasterByParent:
    case Op::NextUnboundMaster:
    case Op::NextEntry:
    case Op::PrevEntry: return Flow::JumpOrNext;
    case Op::Jump: return Flow::JumpOnly;
    case Op::Return:
    case Op::ReturnValue:
    case Op::ReturnVoid:
    case Op::ActivityEnd: return Flow::Exit;
    case Op::MayFail: return Flow::NextOrExit; // the failure returns to the caller
    case Op::Bug: return Flow::Dies;
    case Op::Call:
    case Op::CallBlock: return Flow::Calls;
    case Op::DevresAdd:
    case Op::DevresCloseGroup: // a BUG here kills the thread: Next over-approximates
    case Op::DevresRemoveGroup:
    case Op::DevresReleaseGroup:
    case Op::DevresReleaseAll:
    case Op::DevresRelease:
    case Op::Use:
    case Op::Free:
    case Op::Lock:
    case Op::Unlock:
    case Op::Complete:
    case Op::Wait:
    case Op::InitCompletion:
    case Op::MasterInsert:
    case Op::FreeMaster:
    case Op::ComponentAppend:
    case Op::ComponentUnlink:
    case Op::FindComponents:
    case Op::RemoveComponent:
    case Op::SetMasterBound:
    case Op::SetComponentBound:
    case Op::SetMasterFromComponent:
    case Op::FreeComponent:
    case Op::SetLocalM:
    case Op::SetLocalC:
    case Op::SetLocalI:
    case Op::DecrementI:
    case Op::Warn:
    case Op::KernelMessageUnlessDefer:
    case Op::BindScopeEnd: return Flow::Next;
    }
    return Flow::Next;
}

bool is_framework_group(TouchPoint touch) {
    return touch == TouchPoint::DT1 || touch == TouchPoint::DT3 || touch == TouchPoint::DT4;
}

void add_unique(std::vector<int>& v, int x) {
    if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

} // namespace

FootprintAnalysis::FootprintAnalysis(const Scenario& scenario, const ProgramSet& programs)
    : scenario_(scenario),
      programs_(programs),
      devices_(scenario.devices.size()),
      resources_(scenario.resources.size()),
      completions_(scenario.completions.size()) {
    if (registration(static_cast<int>(scenario.drivers.size())) > Footprint::kObjects ||
        scenario.masters.size() > kMaxMasters)
        throw ModelLimit("too many devices, allocation sites and completions for partial-order reduction; "
                         "try --no-por");

    // Which devices each allocation site's nodes can be on: every DevresAdd
    // under every master, component and thread its operands may name.
    holders_.assign(resources_, {});
    held_.assign(devices_, {});
    std::vector<int> ms{-1}, cs{-1}, ts{0}, devices;
    for (std::size_t m = 0; m < scenario.masters.size(); ++m) ms.push_back(static_cast<int>(m));
    for (std::size_t c = 0; c < scenario.components.size(); ++c) cs.push_back(static_cast<int>(c));
    for (std::size_t t = 1; t < scenario.drivers.size(); ++t) ts.push_back(static_cast<int>(t));
    for (const Program& program : programs.programs) {
        for (const Instruction& i : program.code) {
            if (i.op != Op::DevresAdd) continue;
            const bool by_master = i.b == 1 || i.device.kind == DeviceOperand::MasterParent;
            const bool by_component = i.device.kind == DeviceOperand::ComponentDevice;
            const bool by_thread = i.device.kind == DeviceOperand::DriverDevice;
            for (int m : by_master ? ms : std::vector<int>{-1})
                for (int c : by_component ? cs : std::vector<int>{-1})
                    for (int t : by_thread ? ts : std::vector<int>{0}) {
                        if ((by_master && m < 0) || (by_component && c < 0)) continue;
                        const int resource = i.b == 1 ? programs.match_resource.at(static_cast<std::size_t>(m)) : i.a;
                        devices.clear();
                        devices_of(devices, i, t, m, c);
                        for (int d : devices) {
                            add_unique(holders_[static_cast<std::size_t>(resource)], d);
                            add_unique(held_[static_cast<std::size_t>(d)], resource);
                        }
                    }
        }
    }

    // A driver may add its own masters and components from any of its
    // blocks; from a callback block, that runs on whichever thread binds.
    master_added_in_callback_.assign(scenario.masters.size(), false);
    component_added_in_callback_.assign(scenario.components.size(), false);
    for (const Program& program : programs.programs) {
        if (program.kind != ProgramKind::DriverBlock || program.role == BlockRole::Probe ||
            program.role == BlockRole::Remove || program.role == BlockRole::RuntimeResume)
            continue;
        for (const Instruction& i : program.code) {
            if (i.op == Op::SetLocalM && i.imm >= 0) {
                master_added_in_callback_.at(static_cast<std::size_t>(i.imm)) = true;
                any_master_added_in_callback_ = true;
            }
            if (i.op == Op::SetLocalC && i.imm >= 0)
                component_added_in_callback_.at(static_cast<std::size_t>(i.imm)) = true;
        }
    }

    // The tables with failing group openings only when the bounds allow any.
    tables_.resize(scenario.drivers.size());
    for (std::size_t t = 0; t < scenario.drivers.size(); ++t)
        for (int k = 0; k < 4; ++k)
            if (k % 2 == 0 || scenario.bounds.open_group_failures > 0)
                summarise(tables_[t][static_cast<std::size_t>(k)], static_cast<int>(t), k >= 2, k % 2 == 1);
}

void FootprintAnalysis::devices_of(std::vector<int>& out, const Instruction& i, int t, int m, int c) const {
    switch (i.device.kind) {
    case DeviceOperand::Fixed: out.push_back(i.device.device); return;
    case DeviceOperand::MasterParent:
        if (m >= 0) {
            out.push_back(scenario_.masters.at(static_cast<std::size_t>(m)).parent);
        } else {
            for (const Master& master : scenario_.masters) add_unique(out, master.parent);
        }
        return;
    case DeviceOperand::ComponentDevice:
        if (c >= 0) {
            out.push_back(scenario_.components.at(static_cast<std::size_t>(c)).device);
        } else {
            for (const Component& component : scenario_.components) add_unique(out, component.device);
        }
        return;
    case DeviceOperand::DriverDevice: out.push_back(scenario_.drivers.at(static_cast<std::size_t>(t)).device); return;
    }
}

void FootprintAnalysis::write_slot(Footprint& out, int resource) const {
    out.write(slot(resource));
    // The owner's pointer moves: the `current` and `freed_by_driver` marks
    // of its nodes change, wherever they are.
    for (int d : holders_[static_cast<std::size_t>(resource)]) out.write(list(d));
}

void FootprintAnalysis::add_device(Footprint& out, const Footprint& symbolic, std::size_t first, int d) const {
    const auto apply = [&](std::size_t symbol, std::size_t object) {
        if (symbolic.writes.test(symbol)) {
            out.write(object);
        } else if (symbolic.reads.test(symbol)) {
            out.read(object);
        }
    };
    apply(first, list(d));
    apply(first + 1, groups(d));
    apply(first + 2, scoped(d));
    if (symbolic.reads.test(first + 3))
        for (int r : held_[static_cast<std::size_t>(d)]) out.write(slot(r));
}

void FootprintAnalysis::add_instruction(Footprint& out, int t, const Program& program, const Instruction& i, int m,
                                        int c) const {
    std::vector<int> devices;
    const auto write_slot = [&](int resource) { this->write_slot(out, resource); };
    // The device views an operation writes; an unknown master or component
    // gives the symbolic object instead of every device.
    const auto touch_devices = [&](bool group_view, bool scoped_view, bool slots) {
        std::size_t symbol = kSymbolicCount;
        if (i.device.kind == DeviceOperand::MasterParent && m < 0) symbol = kAnyParentList;
        if (i.device.kind == DeviceOperand::ComponentDevice && c < 0) symbol = kAnyComponentList;
        if (symbol != kSymbolicCount) {
            out.write(symbol);
            if (group_view) out.write(symbol + 1);
            if (scoped_view) out.write(symbol + 2);
            if (slots) out.write(symbol + 3);
            return;
        }
        devices_of(devices, i, t, m, c);
        for (int d : devices) {
            out.write(list(d));
            if (group_view) out.write(groups(d));
            if (scoped_view) out.write(scoped(d));
            if (slots)
                for (int r : held_[static_cast<std::size_t>(d)]) out.write(slot(r));
        }
    };
    switch (i.op) {
    case Op::ActivityBegin:
        if (static_cast<EventKind>(i.imm) == EventKind::ProbeBegin) {
            out.read(list(scenario_.drivers.at(static_cast<std::size_t>(t)).device)); // "resources present"
            for (std::size_t r = 0; r < scenario_.resources.size(); ++r)
                if (scenario_.resources[r].driver == t) write_slot(static_cast<int>(r));
        }
        return;
    case Op::DevresAdd: {
        // Only a bind callback's allocations are Scoped; the framework's own
        // (the match header) only when a callback adds a master.
        const bool may_be_scoped = program.kind == ProgramKind::DriverBlock
                                       ? program.role == BlockRole::MasterBind || program.role == BlockRole::ComponentBind
                                       : any_master_added_in_callback_;
        touch_devices(false, may_be_scoped, false);
        if (i.b == 1) {
            if (m >= 0) {
                write_slot(programs_.match_resource.at(static_cast<std::size_t>(m)));
            } else {
                out.write(kAnyMatchSlot);
            }
        } else {
            write_slot(i.a);
        }
        return;
    }
    case Op::DevresOpenGroup:
        touch_devices(true, false, false);
        if (is_framework_group(i.touch)) out.write(kOpenGroupBudget);
        return;
    case Op::DevresCloseGroup:
    case Op::DevresRemoveGroup: touch_devices(true, false, false); return;
    case Op::DevresReleaseGroup:
    case Op::DevresReleaseAll: touch_devices(true, true, true); return;
    case Op::DevresRelease:
        touch_devices(false, true, false);
        out.write(slot(i.a));
        return;
    case Op::Use: out.read(slot(i.a)); return;
    case Op::Free: write_slot(i.a); return;
    case Op::Lock: out.write(kMutex); return;
    case Op::Unlock:
        out.write(kMutex);
        for (std::size_t d = 0; d < devices_; ++d) out.read(groups(static_cast<int>(d))); // open_framework_groups
        return;
    case Op::Complete:
    case Op::Wait:
    case Op::InitCompletion: out.write(completion(i.a)); return;
    case Op::MayFail: return;
    case Op::MasterInsert:
    case Op::FreeMaster:
        out.write(kFramework);
        write_registration(out, t, m >= 0 ? scenario_.masters.at(static_cast<std::size_t>(m)).driver : -1,
                           master_added_in_callback_, true);
        return;
    case Op::ComponentAppend:
    case Op::ComponentUnlink:
        out.write(kFramework);
        write_registration(out, t, c >= 0 ? scenario_.components.at(static_cast<std::size_t>(c)).driver : -1,
                           component_added_in_callback_, false);
        return;
    case Op::FindComponents:
    case Op::RemoveComponent:
    case Op::SetMasterBound:
    case Op::SetComponentBound:
    case Op::FreeComponent: out.write(kFramework); return;
    case Op::JumpIfTriggerNotAttached:
    case Op::JumpIfMasterUnbound:
    case Op::JumpIfMasterUnregistered:
    case Op::JumpIfComponentBound:
    case Op::JumpIfComponentRegistered:
    case Op::JumpIfComponentUnregistered:
    case Op::SetMasterFromComponent:
    case Op::SetMasterByParent:
    case Op::NextUnboundMaster:
    case Op::NextEntry:
    case Op::PrevEntry: out.read(kFramework); return;
    case Op::BindScopeEnd: // bind-scope judges the world after it: every device's Scoped nodes
        for (std::size_t d = 0; d < devices_; ++d) out.read(scoped(static_cast<int>(d)));
        return;
    case Op::ActivityEnd: // leak judges a failed probe by what is still registered after it
        if (static_cast<EventKind>(i.imm) == EventKind::ProbeEnd) out.read(registration(t));
        return;
    case Op::Call:
    case Op::CallBlock:
    case Op::Return:
    case Op::ReturnValue:
    case Op::ReturnVoid:
    case Op::Jump:
    case Op::JumpIfRetZero:
    case Op::JumpIfRetNonZero:
    case Op::JumpIfRetNegative:
    case Op::JumpIfNoMaster:
    case Op::JumpIfSubcomponentNonZero:
    case Op::JumpIfNoComponent:
    case Op::SetLocalM:
    case Op::SetLocalC:
    case Op::SetLocalI:
    case Op::DecrementI:
    case Op::Warn:
    case Op::Bug:
    case Op::KernelMessageUnlessDefer: return; // thread-local
    }
}

void FootprintAnalysis::write_registration(Footprint& out, int t, int owner, const std::vector<bool>& added_in_callback,
                                           bool is_master) const {
    if (owner >= 0) {
        out.write(registration(owner));
        return;
    }
    // Unknown object: a driver registers only its own, from its own blocks
    // (so on its own thread) or from a callback block (on any thread).
    out.write(registration(t));
    for (std::size_t k = 0; k < added_in_callback.size(); ++k)
        if (added_in_callback[k])
            out.write(registration(is_master ? scenario_.masters[k].driver : scenario_.components[k].driver));
}

namespace {

// The views of a device list other steps and judges read.
bool same_open_framework_groups(const DevresList& a, const DevresList& b) {
    const auto open = [](const DevresList& list, std::size_t& k) -> const Node* {
        for (; k < list.size(); ++k) {
            const Node& n = list[k];
            if (n.kind == NodeKind::GroupOpen && n.creator != GroupCreator::Driver && !group_is_closed(list, n.tag))
                return &list[k++];
        }
        return nullptr;
    };
    std::size_t i = 0, j = 0;
    for (;;) {
        const Node* x = open(a, i);
        const Node* y = open(b, j);
        if (!x || !y) return x == y;
        if (!(*x == *y)) return false;
    }
}

bool same_scoped_resources(const DevresList& a, const DevresList& b) {
    const auto scoped = [](const DevresList& list, std::size_t& k) -> const Node* {
        for (; k < list.size(); ++k)
            if (list[k].kind == NodeKind::Resource && list[k].context.kind != Context::Plain) return &list[k++];
        return nullptr;
    };
    std::size_t i = 0, j = 0;
    for (;;) {
        const Node* x = scoped(a, i);
        const Node* y = scoped(b, j);
        if (!x || !y) return x == y;
        if (x->resource != y->resource || !(x->context == y->context)) return false;
    }
}

} // namespace

Footprint FootprintAnalysis::as_step(const Footprint& executed, const World& before, const World& after) const {
    Footprint out;
    out.reads = executed.reads;
    const auto changed = [&](bool differs, std::size_t object) {
        if (differs) out.write(object);
    };
    changed(before.mutex_owner != after.mutex_owner, kMutex);
    const bool framework = before.component_list != after.component_list || before.masters_list != after.masters_list ||
                           before.components != after.components || before.masters != after.masters;
    changed(framework, kFramework);
    if (framework) {
        for (std::size_t m = 0; m < scenario_.masters.size(); ++m)
            changed(before.master_registered(static_cast<int>(m)) != after.master_registered(static_cast<int>(m)),
                    registration(scenario_.masters[m].driver));
        for (std::size_t c = 0; c < scenario_.components.size(); ++c)
            changed(before.component_registered(static_cast<int>(c)) !=
                        after.component_registered(static_cast<int>(c)),
                    registration(scenario_.components[c].driver));
    }
    changed(before.open_group_failures_left != after.open_group_failures_left, kOpenGroupBudget);
    for (std::size_t d = 0; d < devices_; ++d) {
        const DevresList& a = before.devices[d];
        const DevresList& b = after.devices[d];
        if (a == b) continue;
        out.write(list(static_cast<int>(d)));
        changed(!same_open_framework_groups(a, b), groups(static_cast<int>(d)));
        changed(!same_scoped_resources(a, b), scoped(static_cast<int>(d)));
    }
    for (std::size_t r = 0; r < resources_; ++r)
        changed(before.resources[r] != after.resources[r], slot(static_cast<int>(r)));
    for (std::size_t k = 0; k < completions_; ++k)
        changed(before.completions[k] != after.completions[k], completion(static_cast<int>(k)));
    return out;
}

void FootprintAnalysis::add_executed(Footprint& out, int t, const ExecutedInstruction& e) const {
    const Program& program = programs_.programs[e.program];
    add_instruction(out, t, program, program.code[e.pc], e.m, e.c);
}

void FootprintAnalysis::callees(std::vector<int>& out, const Instruction& i, int t) const {
    if (i.op == Op::Call) {
        out.push_back(i.a);
        return;
    }
    const auto& blocks = programs_.drivers.at(static_cast<std::size_t>(t));
    const auto role = static_cast<BlockRole>(i.a);
    switch (role) {
    case BlockRole::Probe: out.push_back(blocks.probe); return;
    case BlockRole::Remove: out.push_back(blocks.remove); return;
    case BlockRole::RuntimeResume: out.push_back(blocks.runtime_resume); return;
    case BlockRole::MasterBind:
    case BlockRole::MasterUnbind:
        for (const auto& b : programs_.master_blocks) add_unique(out, b[role == BlockRole::MasterBind ? 0 : 1]);
        if (programs_.master_blocks.empty()) out.push_back(kNoProgram);
        return;
    case BlockRole::ComponentBind:
    case BlockRole::ComponentUnbind:
        for (const auto& b : programs_.component_blocks)
            add_unique(out, b[role == BlockRole::ComponentBind ? 0 : 1]);
        if (programs_.component_blocks.empty()) out.push_back(kNoProgram);
        return;
    }
}

void FootprintAnalysis::summarise(Table& table, int t, bool until_lock, bool group_failures) const {
    const auto& all = programs_.programs;
    table.assign(all.size(), {});
    for (std::size_t p = 0; p < all.size(); ++p) table[p].resize(all[p].code.size());
    std::vector<int> called;
    // A fixpoint: loops and (driver code calling the framework from a
    // callback) recursion make one backward pass not enough.
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t p = 0; p < all.size(); ++p) {
            const auto& code = all[p].code;
            for (std::size_t pc = code.size(); pc-- > 0;) {
                const Instruction& i = code[pc];
                for (int sign = 0; sign < kSigns; ++sign) {
                    const auto r = static_cast<Sign>(sign);
                    Summary s;
                    // Control goes on at `at` with r of sign `with`.
                    const auto merge = [&](std::size_t at, Sign with) {
                        if (at >= code.size()) return;
                        s.touched |= table[p][at][with].touched;
                        s.exits |= table[p][at][with].exits;
                    };
                    const auto exit_with = [&](Sign with) { s.exits |= static_cast<std::uint8_t>(1U << with); };
                    if (!(until_lock && i.op == Op::Lock)) {
                        add_instruction(s.touched, t, all[p], i, -1, -1);
                        switch (flow_of(i.op)) {
                        case Flow::Next:
                            if (i.op == Op::FindComponents) { // r: 1 when every match entry is found, else 0
                                merge(pc + 1, kZero);
                                merge(pc + 1, kPositive);
                            } else {
                                merge(pc + 1, r);
                            }
                            break;
                        case Flow::JumpOrNext:
                            switch (i.op) {
                            case Op::JumpIfRetZero: merge(r == kZero ? i.target : pc + 1, r); break;
                            case Op::JumpIfRetNonZero: merge(r != kZero ? i.target : pc + 1, r); break;
                            case Op::JumpIfRetNegative: merge(r == kNegative ? i.target : pc + 1, r); break;
                            case Op::ActivityBegin: // only a probe jumps: "resources present", r = -EBUSY
                                merge(pc + 1, r);
                                if (static_cast<EventKind>(i.imm) == EventKind::ProbeBegin) merge(i.target, kNegative);
                                break;
                            case Op::DevresOpenGroup: // only the framework's openings fail, r = -ENOMEM
                                merge(pc + 1, r);
                                if (group_failures && is_framework_group(i.touch)) merge(i.target, kNegative);
                                break;
                            default:
                                merge(pc + 1, r);
                                merge(i.target, r);
                                break;
                            }
                            break;
                        case Flow::JumpOnly: merge(i.target, r); break;
                        case Flow::Exit:
                            if (i.op == Op::Return) {
                                exit_with(r);
                            } else if (i.op == Op::ReturnValue) {
                                exit_with(sign_of(i.imm));
                            } else {
                                s.exits |= kExitsVoid; // ReturnVoid; ActivityEnd ends the outermost frame
                            }
                            break;
                        case Flow::NextOrExit: // MayFail: returns its error to the caller
                            merge(pc + 1, r);
                            exit_with(sign_of(i.imm));
                            break;
                        case Flow::Dies: break;
                        case Flow::Calls:
                            called.clear();
                            callees(called, i, t);
                            for (int callee : called) {
                                if (callee == kNoProgram || all[static_cast<std::size_t>(callee)].code.empty()) {
                                    merge(pc + 1, kZero); // no callback: r = 0
                                    continue;
                                }
                                const Summary& entry = table[static_cast<std::size_t>(callee)][0][kZero];
                                s.touched |= entry.touched;
                                for (int k = 0; k < kSigns; ++k)
                                    if ((entry.exits >> k) & 1U) merge(pc + 1, static_cast<Sign>(k));
                                if ((entry.exits & kExitsVoid) != 0) merge(pc + 1, r);
                            }
                            break;
                        }
                    }
                    Summary& old = table[p][pc][r];
                    if (!(old.touched == s.touched) || old.exits != s.exits) {
                        old = s;
                        changed = true;
                    }
                }
            }
        }
    }
}

Footprint FootprintAnalysis::future_from(const Table& table, const World& world, int t) const {
    Footprint out;
    const Thread& th = world.threads[static_cast<std::size_t>(t)];
    if (th.phase == Phase::Dead) return out;
    bool activity_may_end = true;
    if (!th.stack.empty()) {
        activity_may_end = false;
        // Signs r may have when control is back in frame k: the top frame's
        // is known; a caller's comes from what its callee may return.
        std::uint8_t signs = static_cast<std::uint8_t>(1U << sign_of(th.stack.back().r));
        for (std::size_t k = th.stack.size(); k-- > 0;) {
            const Frame& f = th.stack[k];
            std::uint8_t exits = 0;
            for (int sign = 0; sign < kSigns; ++sign) {
                if (((signs >> sign) & 1U) == 0) continue;
                const Summary& s = table[f.program][f.pc][static_cast<std::size_t>(sign)];
                out |= s.touched;
                exits |= s.exits;
            }
            if (exits == 0) break;
            if (k == 0) {
                activity_may_end = true;
                break;
            }
            signs = static_cast<std::uint8_t>(exits & (kExitsVoid - 1U));
            if ((exits & kExitsVoid) != 0) signs |= static_cast<std::uint8_t>(1U << sign_of(th.stack[k - 1].r));
        }
    }
    if (!activity_may_end) return out;
    // The activities this thread may still start, as budgets allow; a new frame's r is 0.
    const auto entry = [&](int program) {
        if (program >= 0 && !table[static_cast<std::size_t>(program)].empty())
            out |= table[static_cast<std::size_t>(program)][0][kZero].touched;
    };
    const bool running = th.phase == Phase::Running;
    if (th.probes_left > 0) entry(programs_.entry.really_probe);
    if (th.phase != Phase::Unbound || th.probes_left > 0) entry(programs_.entry.device_release_driver);
    const bool has_resume = programs_.drivers.at(static_cast<std::size_t>(t)).runtime_resume != kNoProgram;
    if (has_resume && (th.resumes_left > 0 || (scenario_.bounds.resumes > 0 && (th.probes_left > 0 || running))))
        entry(programs_.entry.rpm_resume);
    return out;
}

void FootprintAnalysis::resolve(Footprint& fp, const World& world, std::uint64_t frozen) const {
    bool any_symbolic = false;
    for (std::size_t s = 0; s < kSymbolicCount; ++s) any_symbolic = any_symbolic || fp.reads.test(s);
    if (!any_symbolic) return;
    const Footprint symbolic = fp;
    for (std::size_t s = 0; s < kSymbolicCount; ++s) {
        fp.reads.reset(s);
        fp.writes.reset(s);
    }
    // A thread outside `frozen` that can still run some block.
    const auto may_act = [&](int u) {
        if (u < 0 || ((frozen >> static_cast<unsigned>(u)) & 1U) != 0) return false;
        const Thread& th = world.threads[static_cast<std::size_t>(u)];
        return th.phase != Phase::Dead && (!th.stack.empty() || th.phase == Phase::Bound || th.probes_left > 0);
    };
    // Framework code works on a master that is registered when it runs: so
    // one registered now, or one that a moving thread may still register.
    std::bitset<kMaxMasters> live_master; // no allocation: this runs for every future
    for (std::size_t m = 0; m < scenario_.masters.size(); ++m) {
        live_master[m] = world.master_registered(static_cast<int>(m)) || master_added_in_callback_[m] ||
                         may_act(scenario_.masters[m].driver);
        if (!live_master[m]) continue;
        add_device(fp, symbolic, kAnyParentList, scenario_.masters[m].parent);
        if (symbolic.reads.test(kAnyMatchSlot)) write_slot(fp, programs_.match_resource.at(m));
    }
    // On a component's device, only binding and unbinding work: for a
    // component a live master matches, registered or attached, or that a
    // moving thread may still add.
    for (std::size_t c = 0; c < scenario_.components.size(); ++c) {
        const bool live = world.component_registered(static_cast<int>(c)) || world.components[c].master >= 0 ||
                          component_added_in_callback_[c] || may_act(scenario_.components[c].driver);
        if (!live) continue;
        bool matched = false;
        for (std::size_t m = 0; m < scenario_.masters.size() && !matched; ++m)
            if (live_master[m]) {
                const auto& match = scenario_.masters[m].match;
                matched = std::find(match.begin(), match.end(), static_cast<int>(c)) != match.end();
            }
        if (matched) add_device(fp, symbolic, kAnyComponentList, scenario_.components[c].device);
    }
}

Footprint FootprintAnalysis::future(const World& world, int t, bool until_lock, std::uint64_t frozen) const {
    const bool group_failures = world.open_group_failures_left > 0;
    const auto& table = tables_[static_cast<std::size_t>(t)][(until_lock ? 2U : 0U) + (group_failures ? 1U : 0U)];
    Footprint fp = future_from(table, world, t);
    resolve(fp, world, frozen);
    return fp;
}

} // namespace bindcheck::model
