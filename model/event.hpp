#pragma once
// Events are the single record of what a step did. Properties judge them,
// renderers print them; nothing else logs.

#include <cstdint>
#include <vector>

#include "model/devres_node.hpp"

namespace bindcheck::model {

/// The kernel call site behind a devres operation (spec 2.10), or the driver
/// core / driver code that issued it.
enum class TouchPoint : std::uint8_t {
    Driver,        // a statement of driver code (devm, devres_*_group, devm_free)
    DT0, DT1, DT2, DT3, DT4, DT5, DT6, DT7, DT8, DT9, DT10, DT11,
    PostBindClose, // the close after a successful master bind (c87761db2100)
    ProbeFailure,  // really_probe's failure path: devres_release_all
    DriverDetach,  // __device_release_driver: devres_release_all after remove
    DeviceUnregister, // device_del of a driverless device
};

enum class WarnKind : std::uint8_t {
    GroupNotFound,               // close/remove/release_group: find_group missed
    UnbindUnbound,               // component_unbind of a component that is not bound
    ComponentDelNotFound,        // component_del of an unknown component
    ResourcesPresentBeforeProbing,
    DevmFreeNotFound,            // devres_release found no such node
    TypedSubcomponentZero,       // component_add_typed with subcomponent 0
    DuplicateRegistration,       // a second record for one master/component: beyond the model
};

enum class BugKind : std::uint8_t {
    CloseClosedGroup,  // devres_close_group by id on a closed group: node linked twice
    NullComponentUnbind, // component_unbind_all reached an entry without a component
};

enum class EventKind : std::uint8_t {
    DevresAdd,     // DEVRES ADD: resource, grp< or grp>
    DevresRemove,  // DEVRES REM: group markers (remove_group) or one node (devres_release)
    DevresRelease, // DEVRES REL: a group marker or a resource released by a group/all release
    Warn,
    Bug,
    Use,           // the driver touches a resource
    DriverFree,    // the driver frees a resource by hand
    ProbeBegin, ProbeEnd, RemoveBegin, RemoveEnd, ResumeBegin, ResumeEnd,
    MutexLock, MutexUnlock,
    Complete, WaitDone, WaitTimeout, InitCompletion,
    MayFail,       // a choice point resolved (value = 0 or the errno)
    OpenGroupFailed, // a framework devres_open_group that failed with -ENOMEM
    MasterRegistered, MasterUnregistered, ComponentRegistered, ComponentUnregistered,
    ComponentsFound,   // find_components completed the match (value 1) or not (0)
    ComponentAttached, // find_components attached `component` to `master`
    ComponentDetached, // remove_component cleared the entries of `master` for `component`
    MasterBound, MasterUnbound, ComponentBound, ComponentUnbound,
    BindScopeEnd,      // a bind scope just ended: `master` (DT2/DT11) or `component` (DT9/DT10)
    KernelMessage,     // value = errno; touch DT2: "master bind failed", DT9: "failed to bind"
};

/// Resource and slot states a use or free observed.
enum class ResourceState : std::uint8_t { Absent, Live, Released, Freed };

struct Event {
    EventKind kind{};
    TouchPoint touch = TouchPoint::Driver;
    std::int8_t thread = -1;    // initiator: the driver whose thread ran the step
    std::int8_t code_owner = -1; // the driver whose code issued the operation
    std::int8_t device = -1;
    std::int8_t master = -1;
    std::int8_t component = -1;
    Node node;                   // devres events: the node (the grp< marker for group operations)
    bool frees_resource = false; // devres events: a resource's release callback ran
    bool null_lookup = false;    // group operations: looked up with a NULL id
    bool group_found = true;     // group operations
    Node selected_group;         // group operations: the grp< node find_group selected
    // DevresAdd of a resource into a framework group whose callback this thread is
    // not running (INV-15): the intruded group's grp< node.
    bool intrudes_framework_group = false;
    Node intruded_group;
    ResourceState resource_state = ResourceState::Absent; // Use, DriverFree: the state seen
    WarnKind warn{};
    BugKind bug{};
    std::int16_t value = 0;      // errno, counts, result
    std::uint8_t open_framework_groups = 0; // MutexUnlock: framework groups still open anywhere
};

using Events = std::vector<Event>;

} // namespace bindcheck::model
