#pragma once
// The step language (design: "The step language"). Framework functions and
// driver blocks are programs; the interpreter runs them one instruction at a
// time. Shared instructions are interleaving points; local ones (branches,
// calls, returns) run together with the shared instruction before them.

#include <cstdint>
#include <string>
#include <vector>

#include "model/event.hpp"

namespace bindcheck::model {

enum class Op : std::uint8_t {
    // ---- shared: each one is a step ----
    ActivityBegin,      // the driver core starts probe/remove/runtime resume (imm: EventKind)
    DevresAdd,          // resource `a` on `device`
    DevresOpenGroup,    // on failure (allowed by the bounds): r = -ENOMEM, jump to target
    DevresCloseGroup,
    DevresRemoveGroup,
    DevresReleaseGroup,
    DevresReleaseAll,
    DevresRelease,      // devm_free of resource `a`
    Use,                // resource `a`
    Free,               // resource `a`, by hand
    Lock,               // component_mutex
    Unlock,
    Complete,           // completion `a`
    Wait,               // completion `a`; imm != 0: may time out
    InitCompletion,     // completion `a`
    MayFail,            // choice: go on, or return imm (an errno)
    MasterInsert,       // masters list: insert master m at the head
    FreeMaster,         // free_master(m): unlink, detach its components
    ComponentAppend,    // component_list: append component c at the tail
    ComponentUnlink,    // component_list: unlink component c
    FindComponents,     // find_components(m): r = 1 when every entry has a component
    RemoveComponent,    // remove_component(m, c)
    SetMasterBound,     // imm = 0 or 1
    SetComponentBound,  // imm = 0 or 1
    // ---- local ----
    Call,               // program a; the callee inherits m and c
    CallBlock,          // the callback block `a` (BlockRole) of master m / component c
    Return,             // return r to the caller
    ReturnValue,        // return imm
    ReturnVoid,         // return, leaving the caller's r alone
    Jump,
    JumpIfRetZero,
    JumpIfRetNonZero,
    JumpIfRetNegative,
    JumpIfTriggerNotAttached,    // c given and c not attached to m ("master is not for this component")
    JumpIfMasterUnbound,
    JumpIfMasterUnregistered,
    JumpIfComponentBound,
    JumpIfComponentRegistered,
    JumpIfComponentUnregistered,
    JumpIfNoMaster,              // m == -1
    JumpIfSubcomponentNonZero,   // i != 0
    SetMasterFromComponent,      // m = c's master
    SetMasterByParent,           // m = first registered master whose parent is m's parent; none: jump
    NextUnboundMaster,           // m = first unbound master at list position >= i; i = after it; none: jump
    NextEntry,                   // c = component of the next non-duplicate entry of m at >= i; none: jump
    PrevEntry,                   // c = component of the previous non-duplicate entry of m before i; none: jump
    JumpIfNoComponent,           // c == -1
    FreeComponent,               // the component record is freed: its bound flag and master go
    SetLocalM, SetLocalC, SetLocalI, // = imm
    DecrementI,
    Warn,                        // imm: WarnKind
    Bug,                         // imm: BugKind; the thread dies
    KernelMessageUnlessDefer,    // the framework's error message, not printed for -EPROBE_DEFER
    BindScopeEnd,                // event: the bind scope of m (b == 0) or c (b == 1) ended
    ActivityEnd,                 // imm: EventKind of the end event; the thread goes idle
};

/// Which device an instruction works on.
struct DeviceOperand {
    enum Kind : std::uint8_t { Fixed, MasterParent, ComponentDevice, DriverDevice } kind = Fixed;
    std::uint8_t device = 0; // Fixed
};

/// Which id a devres group call passes.
struct IdOperand {
    enum Kind : std::uint8_t { Null, Master, Component, Named } kind = Null;
    std::uint8_t named = 0; // Named: Scenario::group_ids index
};

struct Instruction {
    Op op{};
    std::uint8_t a = 0;
    std::uint8_t b = 0;
    std::int16_t imm = 0;
    std::uint16_t target = 0;
    TouchPoint touch = TouchPoint::Driver;
    DeviceOperand device;
    IdOperand id;
    int source_line = 0; // driver blocks: the scenario line of the statement
};

[[nodiscard]] bool is_shared(Op op);

enum class ProgramKind : std::uint8_t { Framework, DriverCore, DriverBlock };

/// The callbacks and entry points a driver block can be.
enum class BlockRole : std::uint8_t {
    Probe, Remove, RuntimeResume, MasterBind, MasterUnbind, ComponentBind, ComponentUnbind,
};

struct Program {
    std::string name; // the kernel function, or "<driver> <block>"
    ProgramKind kind = ProgramKind::Framework;
    BlockRole role = BlockRole::Probe; // DriverBlock only
    int driver = -1;                   // DriverBlock only: whose code this is
    int object = -1;                   // DriverBlock of a master/component: its index
    std::vector<Instruction> code;
};

/// Writes a program top to bottom with forward labels, so that the framework
/// functions read like component.c.
class ProgramBuilder {
public:
    explicit ProgramBuilder(Program& program) : program_(program) {}
    using Label = int;
    Label label();
    void place(Label label);
    Instruction& emit(Op op);
    Instruction& emit_jump(Op op, Label target);
    void finish(); // resolves labels

private:
    Program& program_;
    std::vector<int> label_positions_;
    std::vector<std::pair<std::size_t, Label>> fixups_;
};

} // namespace bindcheck::model
