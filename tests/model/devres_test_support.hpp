#pragma once
// Harness for the devres model tests: one device list, the events its
// operations emitted, and short names for nodes ("r1", "A<", "A>") so that a
// list or an event sequence compares as a string such as "r1 A< r2 A>" or
// "REL A<, REL r2 +free, REL r1 +free".
//
// Names are exact: a resource or opening marker is named only when the node
// equals, field by field, the one the test added (or the one the list held
// right after the group was opened). A closing marker is named after the group
// whose tag it carries. Anything else prints as "?...", which fails the
// comparison with a readable diff.

#include "model/devres.hpp"

#include <doctest/doctest.h>

#include "tests/support/event_names.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bindcheck::model::devres_test {

inline GroupId null_id() { return GroupId::null(); }
inline GroupId master_id(std::uint8_t value = 0) { return {GroupIdKind::Master, value}; }
inline GroupId component_id(std::uint8_t value = 0) { return {GroupIdKind::Component, value}; }
inline GroupId named_id(std::uint8_t value = 0) { return {GroupIdKind::Named, value}; }

/// Empty when every closing marker follows its own group's opening marker and
/// no group has two opening or two closing markers on the list; otherwise
/// what is wrong.
inline std::string marker_defect(const DevresList& list) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Node& n = list[i];
        if (!n.is_marker()) continue;
        bool opener_before = false;
        for (std::size_t j = 0; j < list.size(); ++j) {
            if (j == i || list[j].tag != n.tag || list[j].kind == NodeKind::Resource) continue;
            if (list[j].kind == n.kind)
                return "two markers of one kind for tag " + std::to_string(n.tag) + " at " + std::to_string(j) +
                       " and " + std::to_string(i);
            if (n.kind == NodeKind::GroupClose && list[j].kind == NodeKind::GroupOpen && j < i) opener_before = true;
        }
        if (n.kind == NodeKind::GroupClose && !opener_before)
            return "closing marker of tag " + std::to_string(n.tag) + " at " + std::to_string(i) +
                   " without its opening marker before it";
    }
    return {};
}

/// One device with a devres list, driven through the model's functions. Every
/// operation checks the marker invariant afterwards.
class Device {
public:
    DevresList list;
    Events out;
    Event context;
    bool release_group_on_empty_list_is_silent = false;

    Device() {
        // Distinctive values, so that a lost context is noticed.
        context.touch = TouchPoint::DT5;
        context.thread = 2;
        context.code_owner = 1;
        context.device = 3;
        context.master = 0;
        context.component = 4;
    }

    DevresCall call() { return DevresCall{context, out, release_group_on_empty_list_is_silent}; }

    /// devres_add of a fresh node of `resource`, named `label`. Each node gets
    /// a distinct context object, so two nodes of one resource differ.
    Node add(const std::string& label, std::uint8_t resource, Context::Kind where = Context::Plain) {
        Node node;
        node.kind = NodeKind::Resource;
        node.resource = resource;
        node.context = Context{where, serial_++};
        node.current = true;
        names_.emplace_back(label, node);
        devres_add(list, node, call());
        after_operation();
        return node;
    }

    /// devres_open_group; the new tail node is named `group` + "<", closing
    /// markers with its tag `group` + ">".
    Node open(const std::string& group, GroupId id, GroupCreator creator = GroupCreator::Driver,
              std::uint8_t creator_object = 0) {
        const std::size_t before = list.size();
        devres_open_group(list, id, creator, creator_object, call());
        after_operation();
        REQUIRE(list.size() == before + 1);
        const Node marker = list.back();
        REQUIRE(marker.kind == NodeKind::GroupOpen);
        names_.emplace_back(group + "<", marker);
        Node closing;
        closing.kind = NodeKind::GroupClose;
        closing.tag = marker.tag;
        names_.emplace_back(group + ">", closing);
        return marker;
    }

    void close(GroupId id) {
        devres_close_group(list, id, call());
        after_operation();
    }
    void remove(GroupId id) {
        devres_remove_group(list, id, call());
        after_operation();
    }
    int release(GroupId id) {
        const int n = devres_release_group(list, id, call());
        after_operation();
        return n;
    }
    int release_all() {
        const int n = devres_release_all(list, call());
        after_operation();
        return n;
    }
    bool release_resource(std::uint8_t resource) {
        const bool found = devres_release(list, resource, call());
        after_operation();
        return found;
    }

    /// The node the test named `label` (the newest of that name).
    Node node(const std::string& label) const {
        for (auto it = names_.rbegin(); it != names_.rend(); ++it)
            if (it->first == label) return it->second;
        FAIL("no node named " << label);
        return {};
    }

    /// Index of the node named `label` in the list.
    std::optional<std::size_t> index_of(const std::string& label) const {
        const Node wanted = node(label);
        for (std::size_t i = 0; i < list.size(); ++i)
            if (name(list[i]) == label && list[i].kind == wanted.kind) return i;
        return std::nullopt;
    }

    std::string name(const Node& n) const {
        for (auto it = names_.rbegin(); it != names_.rend(); ++it) {
            const Node& known = it->second;
            if (n.kind == NodeKind::GroupClose ? (known.kind == NodeKind::GroupClose && known.tag == n.tag)
                                               : known == n)
                return it->first;
        }
        switch (n.kind) {
        case NodeKind::Resource: return "?res" + std::to_string(n.resource);
        case NodeKind::GroupOpen: return "?open" + std::to_string(n.tag);
        case NodeKind::GroupClose: return "?close" + std::to_string(n.tag);
        }
        return "?";
    }

    /// The list as names, oldest first, separated by spaces.
    std::string list_string() const {
        std::string s;
        for (const Node& n : list) {
            if (!s.empty()) s += ' ';
            s += name(n);
        }
        return s;
    }

    /// The events emitted since the last call, as "ADD r1, REL A<, REL r1 +free,
    /// WARN GroupNotFound, BUG CloseClosedGroup"; clears them. An event that
    /// lost the caller's context gets " (context lost)".
    std::string take_events() {
        std::string s;
        for (const Event& e : out) {
            if (!s.empty()) s += ", ";
            switch (e.kind) {
            case EventKind::DevresAdd: s += "ADD " + name(e.node); break;
            case EventKind::DevresRemove: s += "REM " + name(e.node); break;
            case EventKind::DevresRelease: s += "REL " + name(e.node); break;
            case EventKind::Warn: s += std::string("WARN ") + testing::warn_name(e.warn); break;
            case EventKind::Bug: s += std::string("BUG ") + testing::bug_name(e.bug); break;
            default: s += "OTHER" + std::to_string(static_cast<int>(e.kind)); break;
            }
            if (e.frees_resource) s += " +free";
            if (e.touch != context.touch || e.thread != context.thread || e.code_owner != context.code_owner ||
                e.device != context.device || e.master != context.master || e.component != context.component)
                s += " (context lost)";
        }
        out.clear();
        return s;
    }

private:
    std::vector<std::pair<std::string, Node>> names_;
    std::uint8_t serial_ = 0;

    void after_operation() const {
        const std::string defect = marker_defect(list);
        CHECK_MESSAGE(defect.empty(), defect << " in " << list_string());
    }
};

} // namespace bindcheck::model::devres_test
