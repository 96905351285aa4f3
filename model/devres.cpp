#include "model/devres.hpp"

#include <algorithm>
#include <array>

#include "model/model_limit.hpp"

namespace bindcheck::model {
namespace {

Event& emit(DevresCall call, EventKind kind, const Node& node) {
    Event& e = call.out.emplace_back(call.context);
    e.kind = kind;
    e.node = node;
    return e;
}

void warn(DevresCall call, WarnKind kind, GroupId id) {
    Event& e = call.out.emplace_back(call.context);
    e.kind = EventKind::Warn;
    e.warn = kind;
    e.group_found = false;
    e.null_lookup = id.is_null();
}

std::uint8_t unused_tag(const DevresList& list) {
    std::array<bool, 256> used{};
    for (const Node& n : list)
        if (n.kind == NodeKind::GroupOpen) used[n.tag] = true;
    for (unsigned tag = 0; tag < used.size(); ++tag)
        if (!used[tag]) return static_cast<std::uint8_t>(tag);
    throw ModelLimit("more than 256 devres groups on one device");
}

// The state encoding stores a list's length in one byte.
void check_room(const DevresList& list) {
    if (list.size() >= 255) throw ModelLimit("more than 255 devres nodes on one device");
}

std::size_t index_of_open_marker(const DevresList& list, std::uint8_t tag) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i].kind == NodeKind::GroupOpen && list[i].tag == tag) return i;
    return list.size();
}

// remove_nodes() and release_nodes() (spec 1.4, 1.5) over [first, end):
// regular nodes leave in list order; a group leaves when its color reaches 2
// (open group: at its opening marker; closed group: both markers in range).
// Logs REL for the released groups in reverse completion order, then the
// resources newest first, as release_nodes walks its queue from the tail.
int remove_and_release_range(DevresList& list, std::size_t first, std::size_t end, DevresCall call) {
    std::vector<Node> resources;
    std::vector<Node> groups; // opening markers, in completion order
    std::array<std::uint8_t, 256> color{};
    std::vector<bool> leaves(list.size(), false);

    bool any_marker = false;
    for (std::size_t i = first; i < end; ++i) {
        if (list[i].is_marker()) {
            color[list[i].tag] = 0;
            any_marker = true;
        } else {
            resources.push_back(list[i]);
            leaves[i] = true;
        }
    }
    if (any_marker) {
        for (std::size_t i = first; i < end; ++i) {
            const Node& n = list[i];
            if (!n.is_marker()) continue;
            color[n.tag] += 1;
            if (!group_is_closed(list, n.tag)) color[n.tag] += 1;
            if (color[n.tag] == 2) {
                std::size_t open = index_of_open_marker(list, n.tag);
                groups.push_back(list[open]);
                leaves[open] = true;
                // The closing marker leaves with the group (it is never logged).
                for (std::size_t j = 0; j < list.size(); ++j)
                    if (list[j].kind == NodeKind::GroupClose && list[j].tag == n.tag) leaves[j] = true;
            }
        }
    }

    DevresList kept;
    kept.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i)
        if (!leaves[i]) kept.push_back(list[i]);
    list.swap(kept);

    for (auto g = groups.rbegin(); g != groups.rend(); ++g) emit(call, EventKind::DevresRelease, *g);
    for (auto r = resources.rbegin(); r != resources.rend(); ++r)
        emit(call, EventKind::DevresRelease, *r).frees_resource = true;
    return static_cast<int>(resources.size());
}

void mark_group_event(Event& e, GroupId id, const Node& selected) {
    e.null_lookup = id.is_null();
    e.selected_group = selected;
}

} // namespace

bool group_is_closed(const DevresList& list, std::uint8_t tag) {
    return std::any_of(list.begin(), list.end(),
                       [tag](const Node& n) { return n.kind == NodeKind::GroupClose && n.tag == tag; });
}

void devres_add(DevresList& list, Node resource, DevresCall call) {
    check_room(list);
    list.push_back(resource);
    emit(call, EventKind::DevresAdd, resource);
}

void devres_open_group(DevresList& list, GroupId id, GroupCreator creator, std::uint8_t creator_object,
                       DevresCall call) {
    Node marker;
    marker.kind = NodeKind::GroupOpen;
    marker.tag = unused_tag(list);
    marker.id = id;
    marker.creator = creator;
    marker.creator_object = creator_object;
    check_room(list);
    list.push_back(marker);
    emit(call, EventKind::DevresAdd, marker);
}

std::optional<std::size_t> find_group(const DevresList& list, GroupId id) {
    for (std::size_t i = list.size(); i-- > 0;) {
        const Node& n = list[i];
        if (n.kind != NodeKind::GroupOpen) continue;
        if (id.is_null()) {
            if (!group_is_closed(list, n.tag)) return i;
        } else if (n.id == id) {
            return i;
        }
    }
    return std::nullopt;
}

void devres_close_group(DevresList& list, GroupId id, DevresCall call) {
    auto found = find_group(list, id);
    if (!found) {
        warn(call, WarnKind::GroupNotFound, id);
        return;
    }
    const Node open = list[*found];
    Node closing;
    closing.kind = NodeKind::GroupClose;
    closing.tag = open.tag;
    Event& added = emit(call, EventKind::DevresAdd, closing);
    mark_group_event(added, id, open);
    if (group_is_closed(list, open.tag)) {
        // The kernel prints the ADD line, then BUG_ON(!list_empty()) fires in add_dr.
        Event& bug = call.out.emplace_back(call.context);
        bug.kind = EventKind::Bug;
        bug.bug = BugKind::CloseClosedGroup;
        bug.node = open;
        return;
    }
    check_room(list);
    list.push_back(closing);
}

void devres_remove_group(DevresList& list, GroupId id, DevresCall call) {
    auto found = find_group(list, id);
    if (!found) {
        warn(call, WarnKind::GroupNotFound, id);
        return;
    }
    const Node open = list[*found];
    std::erase_if(list, [&](const Node& n) { return n.is_marker() && n.tag == open.tag; });
    mark_group_event(emit(call, EventKind::DevresRemove, open), id, open);
}

int devres_release_group(DevresList& list, GroupId id, DevresCall call) {
    auto found = find_group(list, id);
    if (!found) {
        if (!(list.empty() && call.release_group_on_empty_list_is_silent)) warn(call, WarnKind::GroupNotFound, id);
        return 0;
    }
    const std::size_t first = *found;
    const Node open = list[first];
    const std::uint8_t tag = open.tag;
    std::size_t end = list.size();
    for (std::size_t i = first; i < list.size(); ++i)
        if (list[i].kind == NodeKind::GroupClose && list[i].tag == tag) end = i + 1;
    const std::size_t before = call.out.size();
    int released = remove_and_release_range(list, first, end, call);
    for (std::size_t i = before; i < call.out.size(); ++i) mark_group_event(call.out[i], id, open);
    return released;
}

int devres_release_all(DevresList& list, DevresCall call) {
    return remove_and_release_range(list, 0, list.size(), call);
}

bool devres_release(DevresList& list, std::uint8_t resource, DevresCall call) {
    for (std::size_t i = list.size(); i-- > 0;) {
        if (list[i].kind == NodeKind::Resource && list[i].resource == resource) {
            Node node = list[i];
            list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
            emit(call, EventKind::DevresRemove, node).frees_resource = true;
            return true;
        }
    }
    warn(call, WarnKind::DevmFreeNotFound, GroupId::null());
    return false;
}

} // namespace bindcheck::model
