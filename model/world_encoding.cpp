// The canonical byte form of a World: equal situations give equal bytes.
// Group markers are written with their group's ordinal on the device (by
// position of the opening marker) instead of the tag the group got when it
// was opened, so that allocation history never splits states.

#include <algorithm>
#include <array>
#include <stdexcept>

#include "model/bind_model.hpp"

namespace bindcheck::model {
namespace {

// Writes into space reserved up front (encoded_size_bound), so that each
// byte is one store: encoding runs for every transition the search makes.
class Writer {
public:
    Writer(std::vector<std::byte>& out, std::size_t bound, std::vector<std::uint32_t>* segment_ends = nullptr)
        : out_(out), start_(out.size()), segment_ends_(segment_ends) {
        out.resize(start_ + bound);
        at_ = out.data() + start_;
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer() { out_.resize(written()); }

    // Segments are the parts of a world that steps change independently
    // (bind_model.hpp: encode_segments); their number is fixed per scenario.
    void end_segment() {
        if (segment_ends_) segment_ends_->push_back(static_cast<std::uint32_t>(written() - start_));
    }
    void u8(unsigned v) { *at_++ = static_cast<std::byte>(v & 0xff); }
    void i8(int v) { u8(static_cast<unsigned>(static_cast<std::uint8_t>(static_cast<std::int8_t>(v)))); }
    void u16(unsigned v) {
        u8(v);
        u8(v >> 8);
    }

private:
    [[nodiscard]] std::size_t written() const { return static_cast<std::size_t>(at_ - out_.data()); }

    std::vector<std::byte>& out_;
    std::size_t start_;
    std::vector<std::uint32_t>* segment_ends_;
    std::byte* at_ = nullptr;
};

// Bytes write_world writes at most; keep in step with it.
std::size_t encoded_size_bound(const World& world) {
    constexpr std::size_t node_bytes = 6, frame_bytes = 9, thread_bytes = 4, entry_bytes = 2;
    std::size_t bound = 2 + world.component_list.size() + world.masters_list.size() + 2 * world.components.size() +
                        world.resources.size() + world.completions.size() + 2;
    for (const DevresList& list : world.devices) bound += 1 + node_bytes * list.size();
    for (const Thread& th : world.threads) bound += thread_bytes + frame_bytes * th.stack.size();
    for (const MasterState& m : world.masters) bound += 2 + entry_bytes * m.entries.size();
    return bound;
}

class Reader {
public:
    explicit Reader(std::span<const std::byte> in) : in_(in) {}
    unsigned u8() {
        if (at_ >= in_.size()) throw std::runtime_error("state encoding truncated");
        return static_cast<unsigned>(in_[at_++]);
    }
    int i8() { return static_cast<std::int8_t>(static_cast<std::uint8_t>(u8())); }
    unsigned u16() {
        unsigned low = u8();
        return low | (u8() << 8);
    }

private:
    std::span<const std::byte> in_;
    std::size_t at_ = 0;
};

void encode_list(Writer& w, const DevresList& list) {
    // Tags are the smallest unused ones (devres.cpp), so they stay small:
    // only the part of the table that tags reach is cleared.
    std::array<std::uint8_t, 256> ordinal;
    unsigned tag_limit = 0;
    for (const Node& n : list)
        if (n.is_marker()) tag_limit = std::max(tag_limit, n.tag + 1U);
    std::fill_n(ordinal.begin(), tag_limit, std::uint8_t{0});
    std::uint8_t next = 0;
    for (const Node& n : list)
        if (n.kind == NodeKind::GroupOpen) ordinal[n.tag] = next++;
    w.u8(static_cast<unsigned>(list.size()));
    for (const Node& n : list) {
        w.u8(static_cast<unsigned>(n.kind));
        switch (n.kind) {
        case NodeKind::Resource:
            w.u8(n.resource);
            w.u8(n.context.kind);
            w.u8(n.context.object);
            w.u8((n.current ? 1U : 0U) | (n.freed_by_driver ? 2U : 0U));
            break;
        case NodeKind::GroupOpen:
            w.u8(ordinal[n.tag]);
            w.u8(static_cast<unsigned>(n.id.kind));
            w.u8(n.id.value);
            w.u8(static_cast<unsigned>(n.creator));
            w.u8(n.creator_object);
            break;
        case NodeKind::GroupClose: w.u8(ordinal[n.tag]); break;
        }
    }
}

void decode_list(Reader& r, DevresList& list) {
    list.resize(r.u8());
    for (Node& n : list) {
        n = Node{}; // a reused node keeps the other kinds' fields otherwise
        n.kind = static_cast<NodeKind>(r.u8());
        switch (n.kind) {
        case NodeKind::Resource: {
            n.resource = static_cast<std::uint8_t>(r.u8());
            n.context.kind = static_cast<Context::Kind>(r.u8());
            n.context.object = static_cast<std::uint8_t>(r.u8());
            const unsigned flags = r.u8();
            n.current = (flags & 1U) != 0;
            n.freed_by_driver = (flags & 2U) != 0;
            break;
        }
        case NodeKind::GroupOpen:
            n.tag = static_cast<std::uint8_t>(r.u8());
            n.id.kind = static_cast<GroupIdKind>(r.u8());
            n.id.value = static_cast<std::uint8_t>(r.u8());
            n.creator = static_cast<GroupCreator>(r.u8());
            n.creator_object = static_cast<std::uint8_t>(r.u8());
            break;
        case NodeKind::GroupClose: n.tag = static_cast<std::uint8_t>(r.u8()); break;
        }
    }
}

// One segment per device, thread and master, and three for the rest.
void write_world(Writer& w, const World& world) {
    for (const DevresList& list : world.devices) {
        encode_list(w, list);
        w.end_segment();
    }
    for (const Thread& th : world.threads) {
        w.u8(static_cast<unsigned>(th.phase));
        w.u8(th.probes_left);
        w.u8(th.resumes_left);
        w.u8(static_cast<unsigned>(th.stack.size()));
        for (const Frame& f : th.stack) {
            w.u16(f.program);
            w.u16(f.pc);
            w.i8(f.m);
            w.i8(f.c);
            w.i8(f.i);
            w.u16(static_cast<std::uint16_t>(f.r));
        }
        w.end_segment();
    }
    // component_list is stored sorted: nothing in the framework observes its
    // order. find_component looks each match entry up by identity and every
    // component record is on the list at most once per registration, so two
    // worlds that registered the same components in different orders behave
    // alike; keeping the order would store every registration order apart.
    std::array<std::int8_t, 256> registered{};
    const std::size_t count = std::min(world.component_list.size(), registered.size());
    std::copy_n(world.component_list.begin(), count, registered.begin());
    std::sort(registered.begin(), registered.begin() + static_cast<std::ptrdiff_t>(count));
    w.u8(static_cast<unsigned>(count));
    for (std::size_t k = 0; k < count; ++k) w.i8(registered[k]);
    w.u8(static_cast<unsigned>(world.masters_list.size()));
    for (std::int8_t m : world.masters_list) w.i8(m);
    w.end_segment();
    for (const ComponentState& c : world.components) {
        w.u8(c.bound ? 1 : 0);
        w.i8(c.master);
    }
    w.end_segment();
    for (const MasterState& m : world.masters) {
        w.u8(m.bound ? 1 : 0);
        w.u8(static_cast<unsigned>(m.entries.size()));
        for (const MatchEntry& e : m.entries) {
            w.i8(e.component);
            w.u8(e.duplicate ? 1 : 0);
        }
        w.end_segment();
    }
    for (ResourceState s : world.resources) w.u8(static_cast<unsigned>(s));
    for (std::uint8_t done : world.completions) w.u8(done);
    w.i8(world.mutex_owner);
    w.u8(world.open_group_failures_left);
    w.end_segment();
}

} // namespace

void BindModel::encode(const World& world, std::vector<std::byte>& out) const {
    Writer w(out, encoded_size_bound(world));
    write_world(w, world);
}

void BindModel::encode_segments(const World& world, std::vector<std::byte>& out,
                                std::vector<std::uint32_t>& segment_ends) const {
    Writer w(out, encoded_size_bound(world), &segment_ends);
    write_world(w, world);
}

World BindModel::decode(std::span<const std::byte> bytes) const {
    World world;
    decode_into(bytes, world);
    return world;
}

// Every field is overwritten; resizing keeps the vectors' storage, so a
// World decoded into again and again stops allocating.
void BindModel::decode_into(std::span<const std::byte> bytes, World& world) const {
    Reader r(bytes);
    world.devices.resize(scenario_.devices.size());
    for (DevresList& list : world.devices) decode_list(r, list);
    world.threads.resize(scenario_.drivers.size());
    for (Thread& th : world.threads) {
        th.phase = static_cast<Phase>(r.u8());
        th.probes_left = static_cast<std::uint8_t>(r.u8());
        th.resumes_left = static_cast<std::uint8_t>(r.u8());
        th.stack.resize(r.u8());
        for (Frame& f : th.stack) {
            f.program = static_cast<std::uint16_t>(r.u16());
            f.pc = static_cast<std::uint16_t>(r.u16());
            f.m = static_cast<std::int8_t>(r.i8());
            f.c = static_cast<std::int8_t>(r.i8());
            f.i = static_cast<std::int8_t>(r.i8());
            f.r = static_cast<std::int16_t>(r.u16());
        }
    }
    world.component_list.resize(r.u8());
    for (std::int8_t& c : world.component_list) c = static_cast<std::int8_t>(r.i8());
    world.masters_list.resize(r.u8());
    for (std::int8_t& m : world.masters_list) m = static_cast<std::int8_t>(r.i8());
    world.components.resize(scenario_.components.size());
    for (ComponentState& c : world.components) {
        c.bound = r.u8() != 0;
        c.master = static_cast<std::int8_t>(r.i8());
    }
    world.masters.resize(scenario_.masters.size());
    for (MasterState& m : world.masters) {
        m.bound = r.u8() != 0;
        m.entries.resize(r.u8());
        for (MatchEntry& e : m.entries) {
            e.component = static_cast<std::int8_t>(r.i8());
            e.duplicate = r.u8() != 0;
        }
    }
    world.resources.resize(scenario_.resources.size());
    for (ResourceState& s : world.resources) s = static_cast<ResourceState>(r.u8());
    world.completions.resize(scenario_.completions.size());
    for (std::uint8_t& done : world.completions) done = static_cast<std::uint8_t>(r.u8());
    world.mutex_owner = static_cast<std::int8_t>(r.i8());
    world.open_group_failures_left = static_cast<std::uint8_t>(r.u8());
}

} // namespace bindcheck::model
