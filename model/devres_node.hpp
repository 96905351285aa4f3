#pragma once
// One entry of a device's devres list (spec 1.1). Nodes have an explicit
// kind; the kernel tells markers apart by their release function instead.

#include <cstdint>

namespace bindcheck::model {

enum class NodeKind : std::uint8_t { Resource, GroupOpen, GroupClose };

/// How a group was named at devres_open_group. A NULL id makes the group's
/// own address its id: unique, so only NULL lookups ("latest open") find it.
enum class GroupIdKind : std::uint8_t { Self, Master, Component, Named };

/// Who opened a group: a framework touch point (spec 2.10) or driver code.
enum class GroupCreator : std::uint8_t { Driver, DT1, DT3, DT4 };

/// Where a resource was allocated (spec 6): the owner's own path, or inside
/// the bind callback of a master or a component.
struct Context {
    enum Kind : std::uint8_t { Plain, MasterBind, ComponentBind } kind = Plain;
    std::uint8_t object = 0; // master or component index
    friend bool operator==(const Context&, const Context&) = default;
};

struct GroupId {
    GroupIdKind kind = GroupIdKind::Self; // Self used as a lookup id means NULL
    std::uint8_t value = 0;
    [[nodiscard]] bool is_null() const { return kind == GroupIdKind::Self; }
    static GroupId null() { return {}; }
    friend bool operator==(const GroupId&, const GroupId&) = default;
};

struct Node {
    NodeKind kind = NodeKind::Resource;
    // Resource
    std::uint8_t resource = 0; // Scenario::resources index; owner = that resource's driver
    Context context;
    bool current = false;         // the owner's pointer refers to this node (latest allocation)
    bool freed_by_driver = false; // the owner already freed it by hand
    // GroupOpen / GroupClose: markers of one group share a tag, unique on the device
    std::uint8_t tag = 0;
    GroupId id;                           // GroupOpen only
    GroupCreator creator = GroupCreator::Driver; // GroupOpen only
    std::uint8_t creator_object = 0;      // master (DT1) or component (DT3, DT4)

    [[nodiscard]] bool is_marker() const { return kind != NodeKind::Resource; }
    friend bool operator==(const Node&, const Node&) = default;
};

} // namespace bindcheck::model
