#pragma once
// The pointers a devres debug log prints for the nodes of a trace. The
// model has no addresses, so each allocation (a resource node, or a group
// record holding both markers) gets a slot from a toy allocator, and a slot
// prints as a stable 32-bit hash, the way the kernel's %p hashes addresses.
//
// The allocator is one last-in-first-out free list over all devices, like a
// slab cache on one CPU: freeing a node or a group record pushes its slot,
// the next allocation pops the most recently freed one. That reproduces the
// reuse the seed's log shows (the component-bind group removed at DT7 and
// the pcim_iomap node allocated next print the same pointer). The model
// does not know object sizes, so reuse ignores them.

#include <cstdint>
#include <string>
#include <vector>

#include "model/world.hpp"

namespace bindcheck::counterexamples {

class DevresPointers {
public:
    /// Gives the nodes already on the lists of `initial` their slots.
    explicit DevresPointers(const model::World& initial);

    /// One pointer per event of a step (0 for events that are not devres
    /// ADD/REM/REL); follows the step's effect on the device lists.
    [[nodiscard]] std::vector<std::uint64_t> step(const model::Events& events, const model::World& after);

    /// How often the lists the events implied differed from the model's and
    /// were rebuilt (fresh slots): never, unless the renderer and the model disagree.
    [[nodiscard]] int resyncs() const { return resyncs_; }

    /// "00000000865cdb29": 16 hex digits, the upper half zero, as 64-bit kernels print hashed pointers.
    [[nodiscard]] static std::string format(std::uint64_t pointer);

private:
    struct Entry {
        model::Node node;
        std::uint32_t slot = 0;
    };
    using Shadow = std::vector<Entry>;

    std::uint32_t allocate();
    void free(std::uint32_t slot) { free_slots_.push_back(slot); }
    std::uint64_t added(Shadow& list, const model::Node& node);
    std::uint64_t removed(Shadow& list, const model::Node& node);
    void resync(std::size_t device, const model::DevresList& actual);

    std::vector<Shadow> devices_;
    std::vector<std::uint32_t> free_slots_;
    std::uint32_t next_slot_ = 1;
    int resyncs_ = 0;
};

} // namespace bindcheck::counterexamples
