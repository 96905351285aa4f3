#pragma once
// The whole state of the modelled system as a value: device lists, the
// component registry, threads and their call stacks, completions, the mutex.
// Only the situation is stored, never history: two runs that reach the same
// situation reach the same World (groups are told apart by position, not by
// allocation order; see world_encoding.cpp).

#include <cstdint>
#include <vector>

#include "model/devres.hpp"
#include "model/event.hpp"

namespace bindcheck::model {

enum class Phase : std::uint8_t { Unbound, Bound, Running, Dead };

struct Frame {
    std::uint16_t program = 0;
    std::uint16_t pc = 0;
    std::int8_t m = -1; // master argument / local
    std::int8_t c = -1; // component argument / local
    std::int8_t i = 0;  // loop index, or the subcomponent of component_add_typed
    std::int16_t r = 0; // the last return value
    friend bool operator==(const Frame&, const Frame&) = default;
};

/// A driver's thread: its probe, remove and runtime resume run on it one at a time.
struct Thread {
    Phase phase = Phase::Unbound;
    std::uint8_t probes_left = 1;
    std::uint8_t resumes_left = 0;
    std::vector<Frame> stack;
    friend bool operator==(const Thread&, const Thread&) = default;
};

struct MatchEntry {
    std::int8_t component = -1;
    bool duplicate = false;
    friend bool operator==(const MatchEntry&, const MatchEntry&) = default;
};

struct MasterState {
    bool bound = false;
    std::vector<MatchEntry> entries; // one per match entry of the scenario's master
    friend bool operator==(const MasterState&, const MasterState&) = default;
};

struct ComponentState {
    bool bound = false;
    std::int8_t master = -1;
    friend bool operator==(const ComponentState&, const ComponentState&) = default;
};

struct World {
    std::vector<DevresList> devices;
    std::vector<Thread> threads;             // one per driver
    std::vector<std::int8_t> component_list; // registration order (tail insertion)
    std::vector<std::int8_t> masters_list;   // head insertion: newest first
    std::vector<ComponentState> components;
    std::vector<MasterState> masters;
    std::vector<ResourceState> resources;    // each allocation site's latest allocation
    std::vector<std::uint8_t> completions;   // done counts
    std::int8_t mutex_owner = -1;            // component_mutex
    std::uint8_t open_group_failures_left = 0;

    [[nodiscard]] bool master_registered(int m) const;
    [[nodiscard]] bool component_registered(int c) const;
    /// Groups opened by the framework (DT1, DT3, DT4) that are still open, on all devices.
    [[nodiscard]] int open_framework_groups() const;
    /// Whether every driver is idle and unbound (nothing runs, nothing is bound).
    [[nodiscard]] bool quiescent() const;

    friend bool operator==(const World&, const World&) = default;
};

} // namespace bindcheck::model
