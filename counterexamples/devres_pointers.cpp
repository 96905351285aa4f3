#include "counterexamples/devres_pointers.hpp"

#include <cstdio>
#include <optional>

#include "properties/naming.hpp"

namespace bindcheck::counterexamples {

using namespace model;

namespace {

// splitmix64's finaliser: a fixed, well-mixed stand-in for the kernel's keyed hash.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// A group record holds both markers at different addresses, so they print differently.
std::uint64_t pointer_of(std::uint32_t slot, bool closing_marker) {
    return mix((static_cast<std::uint64_t>(slot) << 1) | (closing_marker ? 1U : 0U)) & 0xffffffffULL;
}

bool same_node(const Node& a, const Node& b) {
    if (a.kind != b.kind) return false;
    return a.kind == NodeKind::Resource ? a.resource == b.resource : a.tag == b.tag;
}

} // namespace

DevresPointers::DevresPointers(const World& initial) {
    devices_.resize(initial.devices.size());
    for (std::size_t d = 0; d < initial.devices.size(); ++d)
        for (const Node& n : initial.devices[d]) added(devices_[d], n);
}

std::string DevresPointers::format(std::uint64_t pointer) {
    char text[24];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(pointer));
    return text;
}

std::uint32_t DevresPointers::allocate() {
    if (free_slots_.empty()) return next_slot_++;
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
}

std::uint64_t DevresPointers::added(Shadow& list, const Node& node) {
    if (node.kind != NodeKind::GroupClose) {
        const std::uint32_t slot = allocate();
        list.push_back({node, slot});
        return pointer_of(slot, false);
    }
    // The closing marker belongs to its group's record; closing a closed group
    // prints the ADD but links nothing (the BUG follows).
    for (const Entry& e : list)
        if (e.node.kind == NodeKind::GroupOpen && e.node.tag == node.tag) {
            const std::uint32_t slot = e.slot;
            bool linked = false;
            for (const Entry& c : list) linked |= c.node.kind == NodeKind::GroupClose && c.node.tag == node.tag;
            if (!linked) list.push_back({node, slot});
            return pointer_of(slot, true);
        }
    return pointer_of(allocate(), true);
}

// devres_remove_group (both markers leave, the record is freed) or
// devres_release of one resource node (the latest of its site).
std::uint64_t DevresPointers::removed(Shadow& list, const Node& node) {
    for (std::size_t i = list.size(); i-- > 0;) {
        if (!same_node(list[i].node, node)) continue;
        const std::uint32_t slot = list[i].slot;
        if (node.kind == NodeKind::GroupOpen)
            std::erase_if(list, [&](const Entry& e) { return e.node.is_marker() && e.node.tag == node.tag; });
        else
            list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
        free(slot);
        return pointer_of(slot, false);
    }
    return pointer_of(allocate(), false);
}

std::vector<std::uint64_t> DevresPointers::step(const Events& events, const World& after) {
    std::vector<std::uint64_t> out(events.size(), 0);

    // One release operation (release_group or release_all): its REL events
    // name the nodes of one range of one list, groups first, then resources
    // newest first. Matching inside the range tells apart nodes of one
    // allocation site inside and outside it.
    struct Release {
        std::size_t device = 0;
        TouchPoint touch{};
        Node selected;
        bool saw_resource = false;
        std::size_t first = 0, end = 0;
        std::vector<bool> taken;
    };
    std::optional<Release> op;
    auto finish = [&] {
        if (!op) return;
        Shadow& list = devices_[op->device];
        Shadow kept;
        for (std::size_t i = 0; i < list.size(); ++i)
            if (!op->taken[i]) kept.push_back(list[i]);
        list.swap(kept);
        op.reset();
    };
    auto start = [&](const Event& e) {
        Release r;
        r.device = static_cast<std::size_t>(e.device);
        r.touch = e.touch;
        r.selected = e.selected_group;
        const Shadow& list = devices_[r.device];
        r.taken.assign(list.size(), false);
        r.end = list.size();
        if (!properties::is_release_all(e.touch)) {
            for (std::size_t i = list.size(); i-- > 0;)
                if (list[i].node.kind == NodeKind::GroupOpen && list[i].node.tag == e.selected_group.tag) {
                    r.first = i;
                    break;
                }
            for (std::size_t i = r.first; i < list.size(); ++i)
                if (list[i].node.kind == NodeKind::GroupClose && list[i].node.tag == e.selected_group.tag)
                    r.end = i + 1;
        }
        op = std::move(r);
    };

    for (std::size_t k = 0; k < events.size(); ++k) {
        const Event& e = events[k];
        if (e.device < 0 || static_cast<std::size_t>(e.device) >= devices_.size()) continue;
        Shadow& list = devices_[static_cast<std::size_t>(e.device)];
        if (e.kind != EventKind::DevresRelease) finish();
        switch (e.kind) {
        case EventKind::DevresAdd: out[k] = added(list, e.node); break;
        case EventKind::DevresRemove: out[k] = removed(list, e.node); break;
        case EventKind::DevresRelease: {
            const bool resource = e.node.kind == NodeKind::Resource;
            if (!op || op->device != static_cast<std::size_t>(e.device) || op->touch != e.touch ||
                !(op->selected == e.selected_group) || (!resource && op->saw_resource)) {
                finish();
                start(e);
            }
            bool found = false;
            for (std::size_t i = op->end; i-- > op->first;) {
                const Entry& entry = list[i];
                if (op->taken[i] || !same_node(entry.node, e.node)) continue;
                op->taken[i] = true;
                if (!resource)
                    for (std::size_t j = 0; j < list.size(); ++j)
                        if (list[j].node.kind == NodeKind::GroupClose && list[j].node.tag == e.node.tag)
                            op->taken[j] = true;
                out[k] = pointer_of(entry.slot, false);
                free(entry.slot);
                found = true;
                break;
            }
            if (!found) out[k] = pointer_of(allocate(), false);
            op->saw_resource |= resource;
            break;
        }
        default: break;
        }
    }
    finish();

    for (std::size_t d = 0; d < devices_.size() && d < after.devices.size(); ++d) resync(d, after.devices[d]);
    return out;
}

void DevresPointers::resync(std::size_t device, const DevresList& actual) {
    Shadow& list = devices_[device];
    bool same = list.size() == actual.size();
    for (std::size_t i = 0; same && i < list.size(); ++i) same = same_node(list[i].node, actual[i]);
    if (same) return;
    ++resyncs_;
    for (const Entry& e : list)
        if (e.node.kind != NodeKind::GroupClose) free(e.slot);
    list.clear();
    for (const Node& n : actual) added(list, n);
}

} // namespace bindcheck::counterexamples
