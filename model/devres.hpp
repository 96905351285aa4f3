#pragma once
// drivers/base/devres.c, one function per kernel function (spec section 1).
// Each call is atomic on its device list, as under the kernel's devres_lock.
// Every function appends the DEVRES log lines and WARN/BUG findings it causes
// to `out`, each a copy of `context` (who called, from which touch point)
// with the node and operation filled in.

#include <cstdint>
#include <optional>
#include <vector>

#include "model/devres_node.hpp"
#include "model/event.hpp"

namespace bindcheck::model {

using DevresList = std::vector<Node>;

struct DevresCall {
    const Event& context; // copied into each event this call emits
    Events& out;
    bool release_group_on_empty_list_is_silent = false; // 8e1ddfada453 (V3+)
};

/// Appends a resource node at the tail (spec 1.2).
void devres_add(DevresList& list, Node resource, DevresCall call);

/// Appends a new group's opening marker at the tail (spec 1.3). A NULL id
/// (GroupIdKind::Self) makes the group reachable only by NULL lookups.
void devres_open_group(DevresList& list, GroupId id, GroupCreator creator,
                       std::uint8_t creator_object, DevresCall call);

/// Index of the group's opening marker: the latest group with this id, open
/// or closed; for a NULL id the latest open group (spec 1.3).
[[nodiscard]] std::optional<std::size_t> find_group(const DevresList& list, GroupId id);

/// Whether the group whose opening marker has this tag has its closing marker linked.
[[nodiscard]] bool group_is_closed(const DevresList& list, std::uint8_t tag);

void devres_close_group(DevresList& list, GroupId id, DevresCall call);
void devres_remove_group(DevresList& list, GroupId id, DevresCall call);
/// Returns the number of resources released.
int devres_release_group(DevresList& list, GroupId id, DevresCall call);
int devres_release_all(DevresList& list, DevresCall call);

/// devres_release() of the latest node of `resource` (what devm_kfree and
/// friends do): REM, the release callback runs. WARNs when none is found.
bool devres_release(DevresList& list, std::uint8_t resource, DevresCall call);

} // namespace bindcheck::model
