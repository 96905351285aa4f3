#include "model/interpreter.hpp"

#include "model/model_limit.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace bindcheck::model {

bool ChoiceOracle::next() {
    if (met >= kMaxChoices)
        throw ModelLimit("a step meets more than 16 choice points (may_fail, open_group_failures); "
                         "try --granularity devres");
    return ((bits >> met++) & 1U) != 0;
}

namespace {

// One thread's step in progress: the world, the thread, where events go.
class Execution {
public:
    Execution(const Machine& machine, World& world, int thread, ChoiceOracle& choices, Events& out,
              ExecutedInstructions* executed)
        : m_(machine), w_(world), t_(thread), choices_(choices), out_(out), executed_(executed) {}

    void start(Action action);
    void run_shared();
    void run_locals();
    [[nodiscard]] bool running() const { return thread().phase == Phase::Running; }
    /// Index of the outermost framework frame on the stack, or -1.
    [[nodiscard]] int outermost_framework_frame() const;
    /// The smallest stack depth this step has reached so far.
    [[nodiscard]] std::size_t lowest_depth() const { return lowest_depth_; }

private:
    Thread& thread() { return w_.threads[static_cast<std::size_t>(t_)]; }
    const Thread& thread() const { return w_.threads[static_cast<std::size_t>(t_)]; }
    Frame& frame() { return thread().stack.back(); }
    const Program& program_of(const Frame& f) const { return m_.programs.programs[f.program]; }
    const Instruction& instruction() { return program_of(frame()).code[frame().pc]; }

    int device_of(const Instruction& i);
    GroupId group_id_of(const Instruction& i);
    const Frame* innermost_block() const;
    Event base_event() const;
    Event context(const Instruction& i, int device) const;
    bool choose(); // a choice point: true = the alternative outcome
    void exec_devres(const Instruction& i);
    void devres_add_resource(int device, int resource, const Instruction& i);
    bool inside_callback_of(const Node& group) const;
    void after_devres(std::size_t first_event);
    void exec_registry(const Instruction& i);
    void find_components();
    void exec_local(const Instruction& i);
    void call(std::uint16_t program);
    void return_to_caller(bool with_value, std::int16_t value);
    void end_activity(EventKind kind);
    void jump(const Instruction& i) { frame().pc = i.target; }
    Event& emit(EventKind kind);
    void note_executed() {
        if (executed_) executed_->push_back({frame().program, frame().pc, frame().m, frame().c});
    }

    const Machine& m_;
    World& w_;
    int t_;
    ChoiceOracle& choices_;
    Events& out_;
    ExecutedInstructions* executed_;
    std::size_t lowest_depth_ = SIZE_MAX;
};

// Who acts: the thread, the driver whose code runs, the frame's master and component.
Event Execution::base_event() const {
    Event e;
    e.thread = static_cast<std::int8_t>(t_);
    if (const Frame* block = innermost_block()) e.code_owner = static_cast<std::int8_t>(program_of(*block).driver);
    if (!thread().stack.empty()) {
        e.master = thread().stack.back().m;
        e.component = thread().stack.back().c;
    }
    return e;
}

Event& Execution::emit(EventKind kind) {
    Event& e = out_.emplace_back(base_event());
    e.kind = kind;
    return e;
}

bool Execution::choose() { return choices_.next(); }

const Frame* Execution::innermost_block() const {
    const auto& stack = thread().stack;
    for (auto f = stack.rbegin(); f != stack.rend(); ++f)
        if (program_of(*f).kind == ProgramKind::DriverBlock) return &*f;
    return nullptr;
}

int Execution::outermost_framework_frame() const {
    const auto& stack = thread().stack;
    for (std::size_t k = 0; k < stack.size(); ++k)
        if (program_of(stack[k]).kind == ProgramKind::Framework) return static_cast<int>(k);
    return -1;
}

int Execution::device_of(const Instruction& i) {
    switch (i.device.kind) {
    case DeviceOperand::Fixed: return i.device.device;
    case DeviceOperand::MasterParent: return m_.scenario.masters.at(static_cast<std::size_t>(frame().m)).parent;
    case DeviceOperand::ComponentDevice:
        return m_.scenario.components.at(static_cast<std::size_t>(frame().c)).device;
    case DeviceOperand::DriverDevice: return m_.scenario.drivers.at(static_cast<std::size_t>(t_)).device;
    }
    return 0;
}

GroupId Execution::group_id_of(const Instruction& i) {
    switch (i.id.kind) {
    case IdOperand::Null: return GroupId::null();
    case IdOperand::Master: return {GroupIdKind::Master, static_cast<std::uint8_t>(frame().m)};
    case IdOperand::Component: return {GroupIdKind::Component, static_cast<std::uint8_t>(frame().c)};
    case IdOperand::Named: return {GroupIdKind::Named, i.id.named};
    }
    return GroupId::null();
}

Event Execution::context(const Instruction& i, int device) const {
    Event e = base_event();
    e.touch = i.touch;
    e.device = static_cast<std::int8_t>(device);
    return e;
}

// INV-15: a resource added inside a framework group must come from the callback
// that group was opened for, on the thread running it.
bool Execution::inside_callback_of(const Node& group) const {
    const auto& stack = thread().stack;
    const auto& entry = m_.programs.entry;
    for (std::size_t k = 0; k + 1 < stack.size(); ++k) {
        const Frame& f = stack[k];
        if (group.creator == GroupCreator::DT1 && f.program == entry.try_to_bring_up_master &&
            f.m == group.creator_object)
            return true;
        if ((group.creator == GroupCreator::DT3 || group.creator == GroupCreator::DT4) &&
            f.program == entry.component_bind && f.c == group.creator_object)
            return true;
    }
    return false;
}

void Execution::devres_add_resource(int device, int resource, const Instruction& i) {
    Node node;
    node.kind = NodeKind::Resource;
    node.resource = static_cast<std::uint8_t>(resource);
    node.current = true;
    if (const Frame* block = innermost_block()) {
        const Program& p = program_of(*block);
        if (p.role == BlockRole::MasterBind)
            node.context = {Context::MasterBind, static_cast<std::uint8_t>(p.object)};
        else if (p.role == BlockRole::ComponentBind)
            node.context = {Context::ComponentBind, static_cast<std::uint8_t>(p.object)};
    }
    for (DevresList& list : w_.devices)
        for (Node& n : list)
            if (n.kind == NodeKind::Resource && n.resource == node.resource) n.current = false;
    w_.resources[static_cast<std::size_t>(resource)] = ResourceState::Live;

    DevresList& list = w_.devices[static_cast<std::size_t>(device)];
    Event ctx = context(i, device);
    for (const Node& n : list) {
        if (n.kind != NodeKind::GroupOpen || n.creator == GroupCreator::Driver || group_is_closed(list, n.tag))
            continue;
        if (!inside_callback_of(n)) {
            ctx.intrudes_framework_group = true;
            ctx.intruded_group = n;
        }
    }
    devres_add(list, node, DevresCall{ctx, out_});
}

// A released resource the owner still points to is gone for it.
void Execution::after_devres(std::size_t first_event) {
    for (std::size_t k = first_event; k < out_.size(); ++k) {
        const Event& e = out_[k];
        if (!e.frees_resource || !e.node.current) continue;
        auto& state = w_.resources[e.node.resource];
        if (state == ResourceState::Live) state = ResourceState::Released;
    }
}

void Execution::exec_devres(const Instruction& i) {
    const int device = device_of(i);
    DevresList& list = w_.devices[static_cast<std::size_t>(device)];
    const std::size_t first_event = out_.size();
    Event ctx = context(i, device);
    DevresCall call{ctx, out_, m_.variant.release_group_on_empty_list_is_silent};
    switch (i.op) {
    case Op::DevresAdd: {
        const int resource = i.b == 1 ? m_.programs.match_resource.at(static_cast<std::size_t>(frame().m)) : i.a;
        devres_add_resource(device, resource, i);
        break;
    }
    case Op::DevresOpenGroup: {
        GroupCreator creator = GroupCreator::Driver;
        std::uint8_t object = 0;
        if (i.touch == TouchPoint::DT1) {
            creator = GroupCreator::DT1;
            object = static_cast<std::uint8_t>(frame().m);
        } else if (i.touch == TouchPoint::DT3 || i.touch == TouchPoint::DT4) {
            creator = i.touch == TouchPoint::DT3 ? GroupCreator::DT3 : GroupCreator::DT4;
            object = static_cast<std::uint8_t>(frame().c);
        }
        if (creator != GroupCreator::Driver && w_.open_group_failures_left > 0 && choose()) {
            --w_.open_group_failures_left;
            Event& e = emit(EventKind::OpenGroupFailed);
            e.touch = i.touch;
            e.device = static_cast<std::int8_t>(device);
            frame().r = kENOMEM;
            jump(i);
            return;
        }
        GroupId id = group_id_of(i);
        devres_open_group(list, id, creator, object, call);
        break;
    }
    case Op::DevresCloseGroup: {
        const std::size_t before = out_.size();
        devres_close_group(list, group_id_of(i), call);
        for (std::size_t k = before; k < out_.size(); ++k)
            if (out_[k].kind == EventKind::Bug) {
                thread().phase = Phase::Dead;
                thread().stack.clear();
                return;
            }
        break;
    }
    case Op::DevresRemoveGroup: devres_remove_group(list, group_id_of(i), call); break;
    case Op::DevresReleaseGroup: devres_release_group(list, group_id_of(i), call); break;
    case Op::DevresReleaseAll: devres_release_all(list, call); break;
    case Op::DevresRelease: devres_release(list, i.a, call); break;
    default: throw std::logic_error("exec_devres: not a devres instruction");
    }
    after_devres(first_event);
    ++frame().pc;
}

void Execution::find_components() {
    Frame& f = frame();
    const Master& master = m_.scenario.masters[static_cast<std::size_t>(f.m)];
    MasterState& state = w_.masters[static_cast<std::size_t>(f.m)];
    f.r = 1;
    for (std::size_t k = 0; k < state.entries.size(); ++k) {
        MatchEntry& entry = state.entries[k];
        if (entry.component >= 0) continue;
        const int wanted = master.match[k];
        int found = -1;
        for (std::int8_t c : w_.component_list) {
            const ComponentState& cs = w_.components[static_cast<std::size_t>(c)];
            if (cs.master >= 0 && cs.master != f.m) continue;
            if (c == wanted) {
                found = c;
                break;
            }
        }
        if (found < 0) {
            f.r = 0;
            break;
        }
        ComponentState& cs = w_.components[static_cast<std::size_t>(found)];
        entry.duplicate = cs.master >= 0;
        entry.component = static_cast<std::int8_t>(found);
        cs.master = f.m;
        Event& e = emit(EventKind::ComponentAttached);
        e.component = static_cast<std::int8_t>(found);
    }
    emit(EventKind::ComponentsFound).value = f.r;
}

void Execution::exec_registry(const Instruction& i) {
    Frame& f = frame();
    const auto m = static_cast<std::size_t>(f.m);
    const auto c = static_cast<std::size_t>(f.c);
    switch (i.op) {
    case Op::MasterInsert:
        if (w_.master_registered(f.m)) {
            emit(EventKind::Warn).warn = WarnKind::DuplicateRegistration;
            break;
        }
        w_.masters_list.insert(w_.masters_list.begin(), f.m);
        w_.masters[m].bound = false;
        w_.masters[m].entries.assign(m_.scenario.masters[m].match.size(), MatchEntry{});
        emit(EventKind::MasterRegistered);
        break;
    case Op::FreeMaster:
        std::erase(w_.masters_list, f.m);
        for (MatchEntry& entry : w_.masters[m].entries)
            if (entry.component >= 0) w_.components[static_cast<std::size_t>(entry.component)].master = -1;
        w_.masters[m] = MasterState{};
        emit(EventKind::MasterUnregistered);
        break;
    case Op::ComponentAppend:
        w_.component_list.push_back(f.c);
        emit(EventKind::ComponentRegistered);
        break;
    case Op::ComponentUnlink:
        std::erase(w_.component_list, f.c);
        emit(EventKind::ComponentUnregistered);
        break;
    case Op::FindComponents: find_components(); break;
    case Op::RemoveComponent:
        for (MatchEntry& entry : w_.masters[m].entries)
            if (entry.component == f.c) entry.component = -1;
        emit(EventKind::ComponentDetached);
        break;
    case Op::SetMasterBound:
        w_.masters[m].bound = i.imm != 0;
        emit(i.imm != 0 ? EventKind::MasterBound : EventKind::MasterUnbound);
        break;
    case Op::SetComponentBound:
        w_.components[c].bound = i.imm != 0;
        emit(i.imm != 0 ? EventKind::ComponentBound : EventKind::ComponentUnbound);
        break;
    default: throw std::logic_error("exec_registry: not a registry instruction");
    }
    ++frame().pc;
}

void Execution::start(Action action) {
    Thread& th = thread();
    std::uint16_t program = 0;
    switch (action) {
    case Action::Probe:
        program = m_.programs.entry.really_probe;
        --th.probes_left;
        break;
    case Action::Remove: program = m_.programs.entry.device_release_driver; break;
    case Action::Resume:
        program = m_.programs.entry.rpm_resume;
        --th.resumes_left;
        break;
    case Action::Continue: return;
    }
    th.phase = Phase::Running;
    th.stack.push_back(Frame{program, 0, -1, -1, 0, 0});
}

void Execution::run_shared() {
    note_executed();
    const Instruction i = instruction();
    Frame& f = frame();
    switch (i.op) {
    case Op::ActivityBegin: {
        const auto kind = static_cast<EventKind>(i.imm);
        emit(kind);
        ++f.pc;
        if (kind == EventKind::ProbeBegin) {
            const int driver = t_;
            // A new binding: the driver's pointers start empty.
            for (std::size_t r = 0; r < m_.scenario.resources.size(); ++r)
                if (m_.scenario.resources[r].driver == driver) w_.resources[r] = ResourceState::Absent;
            for (DevresList& list : w_.devices)
                for (Node& n : list)
                    if (n.kind == NodeKind::Resource && m_.scenario.resources[n.resource].driver == driver)
                        n.current = false;
            const int device = m_.scenario.drivers[static_cast<std::size_t>(driver)].device;
            if (!w_.devices[static_cast<std::size_t>(device)].empty()) {
                Event& e = emit(EventKind::Warn);
                e.warn = WarnKind::ResourcesPresentBeforeProbing;
                e.device = static_cast<std::int8_t>(device);
                f.r = kEBUSY;
                jump(i);
            }
        }
        return;
    }
    case Op::DevresAdd:
    case Op::DevresOpenGroup:
    case Op::DevresCloseGroup:
    case Op::DevresRemoveGroup:
    case Op::DevresReleaseGroup:
    case Op::DevresReleaseAll:
    case Op::DevresRelease: exec_devres(i); return;
    case Op::Use:
    case Op::Free: {
        ResourceState& state = w_.resources[i.a];
        Event& e = emit(i.op == Op::Use ? EventKind::Use : EventKind::DriverFree);
        e.resource_state = state;
        e.node.resource = i.a;
        if (i.op == Op::Free && state == ResourceState::Live) {
            state = ResourceState::Freed;
            for (DevresList& list : w_.devices)
                for (Node& n : list)
                    if (n.kind == NodeKind::Resource && n.resource == i.a && n.current) n.freed_by_driver = true;
        }
        ++f.pc;
        return;
    }
    case Op::Lock:
        w_.mutex_owner = static_cast<std::int8_t>(t_);
        emit(EventKind::MutexLock);
        ++f.pc;
        return;
    case Op::Unlock:
        w_.mutex_owner = -1;
        emit(EventKind::MutexUnlock).open_framework_groups = static_cast<std::uint8_t>(w_.open_framework_groups());
        ++f.pc;
        return;
    case Op::Complete: {
        auto& done = w_.completions[i.a];
        if (done < 255) ++done;
        emit(EventKind::Complete).value = i.a;
        ++f.pc;
        return;
    }
    case Op::Wait: {
        auto& done = w_.completions[i.a];
        if (done > 0) {
            --done;
            emit(EventKind::WaitDone).value = i.a;
        } else {
            emit(EventKind::WaitTimeout).value = i.a;
        }
        ++f.pc;
        return;
    }
    case Op::InitCompletion:
        w_.completions[i.a] = 0;
        emit(EventKind::InitCompletion).value = i.a;
        ++f.pc;
        return;
    case Op::MayFail:
        if (choose()) {
            emit(EventKind::MayFail).value = i.imm;
            return_to_caller(true, i.imm);
        } else {
            emit(EventKind::MayFail).value = 0;
            ++f.pc;
        }
        return;
    default: exec_registry(i); return;
    }
}

void Execution::call(std::uint16_t program) {
    Frame callee{program, 0, frame().m, frame().c, frame().i, 0};
    ++frame().pc;
    thread().stack.push_back(callee);
}

void Execution::return_to_caller(bool with_value, std::int16_t value) {
    auto& stack = thread().stack;
    stack.pop_back();
    lowest_depth_ = std::min(lowest_depth_, stack.size());
    if (stack.empty()) throw std::logic_error("return from a thread's outermost program");
    if (with_value) stack.back().r = value;
}

void Execution::end_activity(EventKind kind) {
    Thread& th = thread();
    const std::int16_t result = frame().r;
    Event& e = emit(kind);
    e.value = result;
    if (kind == EventKind::ProbeEnd && result < 0) e.device = static_cast<std::int8_t>(m_.scenario.drivers[static_cast<std::size_t>(t_)].device);
    th.stack.clear();
    if (kind == EventKind::RemoveEnd || (kind == EventKind::ProbeEnd && result < 0)) {
        th.phase = Phase::Unbound;
    } else {
        if (kind == EventKind::ProbeEnd) th.resumes_left = static_cast<std::uint8_t>(m_.scenario.bounds.resumes);
        th.phase = Phase::Bound;
    }
}

void Execution::exec_local(const Instruction& i) {
    note_executed();
    Frame& f = frame();
    const auto entries = [&]() -> std::vector<MatchEntry>& { return w_.masters[static_cast<std::size_t>(f.m)].entries; };
    switch (i.op) {
    case Op::Call: call(i.a); return;
    case Op::CallBlock: {
        const auto role = static_cast<BlockRole>(i.a);
        int program = kNoProgram;
        const auto& p = m_.programs;
        switch (role) {
        case BlockRole::Probe: program = p.drivers[static_cast<std::size_t>(t_)].probe; break;
        case BlockRole::Remove: program = p.drivers[static_cast<std::size_t>(t_)].remove; break;
        case BlockRole::RuntimeResume: program = p.drivers[static_cast<std::size_t>(t_)].runtime_resume; break;
        case BlockRole::MasterBind: program = p.master_blocks[static_cast<std::size_t>(f.m)][0]; break;
        case BlockRole::MasterUnbind: program = p.master_blocks[static_cast<std::size_t>(f.m)][1]; break;
        case BlockRole::ComponentBind: program = p.component_blocks[static_cast<std::size_t>(f.c)][0]; break;
        case BlockRole::ComponentUnbind: program = p.component_blocks[static_cast<std::size_t>(f.c)][1]; break;
        }
        if (program == kNoProgram) {
            f.r = 0;
            ++f.pc;
        } else {
            call(static_cast<std::uint16_t>(program));
        }
        return;
    }
    case Op::Return: return_to_caller(true, f.r);
        return;
    case Op::ReturnValue: return_to_caller(true, i.imm); return;
    case Op::ReturnVoid: return_to_caller(false, 0); return;
    case Op::Jump: jump(i); return;
    case Op::JumpIfRetZero: f.r == 0 ? jump(i) : void(++f.pc); return;
    case Op::JumpIfRetNonZero: f.r != 0 ? jump(i) : void(++f.pc); return;
    case Op::JumpIfRetNegative: f.r < 0 ? jump(i) : void(++f.pc); return;
    case Op::JumpIfTriggerNotAttached:
        (f.c >= 0 && w_.components[static_cast<std::size_t>(f.c)].master != f.m) ? jump(i) : void(++f.pc);
        return;
    case Op::JumpIfMasterUnbound: !w_.masters[static_cast<std::size_t>(f.m)].bound ? jump(i) : void(++f.pc); return;
    case Op::JumpIfMasterUnregistered: !w_.master_registered(f.m) ? jump(i) : void(++f.pc); return;
    case Op::JumpIfComponentBound: w_.components[static_cast<std::size_t>(f.c)].bound ? jump(i) : void(++f.pc); return;
    case Op::JumpIfComponentRegistered: w_.component_registered(f.c) ? jump(i) : void(++f.pc); return;
    case Op::JumpIfComponentUnregistered: !w_.component_registered(f.c) ? jump(i) : void(++f.pc); return;
    case Op::JumpIfNoMaster: f.m < 0 ? jump(i) : void(++f.pc); return;
    case Op::JumpIfSubcomponentNonZero: f.i != 0 ? jump(i) : void(++f.pc); return;
    case Op::JumpIfNoComponent: f.c < 0 ? jump(i) : void(++f.pc); return;
    case Op::SetMasterFromComponent:
        f.m = w_.components[static_cast<std::size_t>(f.c)].master;
        ++f.pc;
        return;
    case Op::SetMasterByParent: {
        // component_bind_all and unbind_all find their master by parent device.
        const int parent = m_.scenario.masters[static_cast<std::size_t>(f.m)].parent;
        for (std::int8_t candidate : w_.masters_list) {
            if (m_.scenario.masters[static_cast<std::size_t>(candidate)].parent == parent) {
                f.m = candidate;
                ++f.pc;
                return;
            }
        }
        jump(i);
        return;
    }
    case Op::NextUnboundMaster:
        for (std::size_t k = static_cast<std::size_t>(f.i); k < w_.masters_list.size(); ++k) {
            const std::int8_t candidate = w_.masters_list[k];
            if (!w_.masters[static_cast<std::size_t>(candidate)].bound) {
                f.m = candidate;
                f.i = static_cast<std::int8_t>(k + 1);
                ++f.pc;
                return;
            }
        }
        jump(i);
        return;
    case Op::NextEntry:
        for (std::size_t k = static_cast<std::size_t>(f.i); k < entries().size(); ++k) {
            if (!entries()[k].duplicate) {
                f.c = entries()[k].component;
                f.i = static_cast<std::int8_t>(k + 1);
                ++f.pc;
                return;
            }
        }
        jump(i);
        return;
    case Op::PrevEntry:
        for (std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(f.i), entries().size()); k-- > 0;) {
            if (!entries()[k].duplicate) {
                f.c = entries()[k].component;
                f.i = static_cast<std::int8_t>(k);
                ++f.pc;
                return;
            }
        }
        jump(i);
        return;
    case Op::FreeComponent: {
        ComponentState& cs = w_.components[static_cast<std::size_t>(f.c)];
        cs = ComponentState{};
        ++f.pc;
        return;
    }
    case Op::SetLocalM: f.m = static_cast<std::int8_t>(i.imm); ++f.pc; return;
    case Op::SetLocalC: f.c = static_cast<std::int8_t>(i.imm); ++f.pc; return;
    case Op::SetLocalI: f.i = static_cast<std::int8_t>(i.imm); ++f.pc; return;
    case Op::DecrementI: --f.i; ++f.pc; return;
    case Op::Warn: emit(EventKind::Warn).warn = static_cast<WarnKind>(i.imm); ++f.pc; return;
    case Op::Bug: {
        emit(EventKind::Bug).bug = static_cast<BugKind>(i.imm);
        thread().phase = Phase::Dead;
        thread().stack.clear();
        return;
    }
    case Op::KernelMessageUnlessDefer:
        if (f.r != kEPROBE_DEFER) {
            Event& e = emit(EventKind::KernelMessage);
            e.value = f.r;
            e.touch = i.touch; // DT2: master bind failed; DT9: failed to bind a component
        }
        ++f.pc;
        return;
    case Op::BindScopeEnd: {
        Event& e = emit(EventKind::BindScopeEnd);
        e.touch = i.touch;
        if (i.b == 0) e.component = -1; else e.master = -1;
        ++f.pc;
        return;
    }
    case Op::ActivityEnd: end_activity(static_cast<EventKind>(i.imm)); return;
    default: throw std::logic_error("exec_local: shared instruction");
    }
}

void Execution::run_locals() {
    // Bounded: a program without shared instructions in a loop would be our bug.
    for (int budget = 100000; running() && !is_shared(instruction().op); --budget) {
        if (budget == 0) throw std::logic_error("a program loops without a shared instruction");
        exec_local(instruction());
    }
}

bool shared_instruction_enabled(const Machine& m, const World& w, int t) {
    const Thread& th = w.threads[static_cast<std::size_t>(t)];
    const Frame& f = th.stack.back();
    const Instruction& i = m.programs.programs[f.program].code[f.pc];
    switch (i.op) {
    case Op::Lock: return w.mutex_owner < 0;
    case Op::Wait: return w.completions[i.a] > 0 || i.imm != 0;
    default: return true;
    }
}

} // namespace

bool Machine::enabled(const World& world, int t, Action action) const {
    const Thread& th = world.threads[static_cast<std::size_t>(t)];
    switch (action) {
    case Action::Continue: return th.phase == Phase::Running && shared_instruction_enabled(*this, world, t);
    case Action::Probe: return th.phase == Phase::Unbound && th.probes_left > 0;
    case Action::Remove: return th.phase == Phase::Bound;
    case Action::Resume:
        return th.phase == Phase::Bound && th.resumes_left > 0 &&
               programs.drivers[static_cast<std::size_t>(t)].runtime_resume != kNoProgram;
    }
    return false;
}

void Machine::run(World& world, int t, Action action, ChoiceOracle& choices, Events& out,
                  ExecutedInstructions* executed) const {
    Execution step(*this, world, t, choices, out, executed);
    step.start(action);
    // With call granularity a step that starts inside a framework call runs
    // on to that call's return (or until it blocks); the locals after the
    // return belong to it, a next framework call does not. Other steps stay single.
    const int outer = granularity == Granularity::Call ? step.outermost_framework_frame() : -1;
    for (;;) {
        step.run_shared();
        step.run_locals();
        const bool call_still_running = outer >= 0 && step.running() &&
                                        step.lowest_depth() > static_cast<std::size_t>(outer);
        if (!call_still_running || !shared_instruction_enabled(*this, world, t)) break;
    }
}

World Machine::initial() const {
    World w;
    w.devices.resize(scenario.devices.size());
    w.threads.resize(scenario.drivers.size());
    for (Thread& th : w.threads) th.probes_left = static_cast<std::uint8_t>(1 + scenario.bounds.rebinds);
    w.components.resize(scenario.components.size());
    w.masters.resize(scenario.masters.size());
    w.resources.assign(scenario.resources.size(), ResourceState::Absent);
    w.completions.assign(scenario.completions.size(), 0);
    w.open_group_failures_left = static_cast<std::uint8_t>(scenario.bounds.open_group_failures);
    return w;
}

} // namespace bindcheck::model
