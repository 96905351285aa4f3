#pragma once
// The immutable result of parsing a .bind file: devices, drivers, their
// blocks, the components and masters they declare, and the search bounds.
// Everything is referred to by index so that the world state can hold small
// integers; names are kept for messages and renderers.

#include <cstdint>
#include <string>
#include <vector>

namespace bindcheck::model {

struct SourceLocation {
    int line = 0;
    int column = 0;
};

/// Kernel error codes a scenario can name (negative, as the kernel returns them).
enum Errno : int {
    kEINVAL = -22,
    kENOMEM = -12,
    kENODEV = -19,
    kEBUSY = -16,
    kEIO = -5,
    kEPROBE_DEFER = -517,
};

enum class StatementKind : std::uint8_t {
    Devm,                        // devm NAME [on DEVICE] [size N] [release FUNCTION]
    Use,                         // use NAME
    Free,                        // free NAME: the driver frees it by hand (not through devres)
    DevmFree,                    // devm_free NAME [on DEVICE]: devres_release of the latest such node
    ComponentAdd,                // component_add NAME
    ComponentAddTyped,           // component_add_typed NAME SUBCOMPONENT
    ComponentDel,                // component_del NAME
    ComponentMasterAddWithMatch, // component_master_add_with_match NAME match(C, ...)
    ComponentMasterDel,          // component_master_del NAME
    ComponentBindAll,            // component_bind_all
    ComponentUnbindAll,          // component_unbind_all
    DevresOpenGroup,             // devres_open_group [ID|NULL] [on DEVICE]
    DevresCloseGroup,            // devres_close_group [ID|NULL] [on DEVICE]
    DevresRemoveGroup,           // devres_remove_group [ID|NULL] [on DEVICE]
    DevresReleaseGroup,          // devres_release_group [ID|NULL] [on DEVICE]
    Complete,                    // complete NAME
    Wait,                        // wait NAME [timeout]
    InitCompletion,              // init_completion NAME
    MayFail,                     // may_fail [ERRNO]: the block may return ERRNO here
    DeviceUnregister,            // device_unregister DEVICE: devres_release_all of a driverless device
};

struct Statement {
    StatementKind kind{};
    SourceLocation where;
    int resource = -1;   // Devm, Use, Free, DevmFree: index into Scenario::resources
    int device = -1;     // explicit target device ("on DEV", DeviceUnregister); -1 = the block's own device
    int component = -1;  // ComponentAdd, ComponentAddTyped, ComponentDel
    int master = -1;     // ComponentMasterAddWithMatch, ComponentMasterDel
    int group_id = -1;   // devres_*_group: -1 = NULL id, else index into Scenario::group_ids
    int completion = -1; // Complete, Wait, InitCompletion
    int subcomponent = 0; // ComponentAddTyped
    int size = 0;        // Devm: payload bytes, as the kernel's debug log prints them
    int error = 0;       // MayFail: the negative errno returned on failure
    bool timeout = false; // Wait: may also give up without the completion
};

/// A block of driver code. `may_fail` adds a choice point at its end
/// (return `fail_error`, or succeed), as if the block ended with `may_fail`.
struct Block {
    std::vector<Statement> statements;
    bool present = false;
    bool may_fail = false;
    int fail_error = kEINVAL;
    SourceLocation where;
};

struct Device {
    std::string name;
    std::string bus_id;
    int driver = -1; // -1: no driver binds to this device
    SourceLocation where;
};

struct Component {
    std::string name;
    int driver = -1;
    int device = -1; // the device passed to component_add (the driver's, unless "on DEV")
    Block bind;
    Block unbind; // unbind.present == false: no unbind op
    SourceLocation where;
};

struct Master {
    std::string name;
    int driver = -1;
    int parent = -1;        // the device passed to component_master_add_with_match
    std::vector<int> match; // component indices, in match order (repeats allowed)
    Block bind;
    Block unbind;
    SourceLocation where;
};

/// A devm allocation site, identified by (owning driver, name).
struct Resource {
    std::string name;
    int driver = -1;
    int size = 0;
    // The release callback's name, which CONFIG_DEBUG_DEVRES prints for the
    // node (e.g. pcim_iomap_release); empty: the resource's name.
    std::string release_function;
    [[nodiscard]] const std::string& log_name() const { return release_function.empty() ? name : release_function; }
};

struct Driver {
    std::string name;
    int device = -1;
    Block probe;
    Block remove;
    Block runtime_resume;
    std::vector<int> components;
    std::vector<int> masters;
    SourceLocation where;
};

struct Bounds {
    int rebinds = 0;             // times each driver may be unbound and bound again
    int resumes = 0;             // runtime resumes per binding
    int open_group_failures = 0; // framework devres_open_group calls that may fail with -ENOMEM
};

struct Scenario {
    std::string path; // for messages
    std::vector<Device> devices;
    std::vector<Driver> drivers;
    std::vector<Component> components;
    std::vector<Master> masters;
    std::vector<Resource> resources;
    std::vector<std::string> completions;
    std::vector<std::string> group_ids; // explicit devres group ids used by drivers
    Bounds bounds;
};

} // namespace bindcheck::model
