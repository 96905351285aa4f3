#pragma once
// Which shared parts of a World a step reads and writes, for partial-order
// reduction (model/reducible_model.hpp). Two steps of different threads whose
// footprints do not conflict commute: either order gives the same world and
// the same events, and neither enables or disables the other.
//
// Shared objects. A thread's own Thread record is private: only its own
// steps read or write it. Everything else is split into objects:
//   - component_mutex (mutex_owner);
//   - the framework records: component_list, masters_list, every component
//     and master record (one object: they are only touched together, mostly
//     under the mutex);
//   - the budget of failing framework group openings;
//   - per device: its devres list (List), and two views of it that readers
//     outside devres need: whether framework groups are open (Groups, read by
//     MutexUnlock's open_framework_groups and open-group's judge), and its
//     resources allocated in a bind callback (Scoped, read by bind-scope's
//     judge at BindScopeEnd). Whoever writes a view also writes the List;
//   - per allocation site, the owner's pointer slot (World::resources);
//   - per completion, its done count;
//   - per driver, whether its components and masters are registered (a view
//     of the framework records, read by leak's judge at a probe's end).
// Static summaries do not know which master or component a framework frame
// will work on; they name "the parent of any master" or "the device of any
// component" by symbolic objects, which future() resolves per state to the
// masters and components that can still be worked on (resolve()).
//
// A step's footprint includes what the properties judging its transition
// read from the world after it (bind-scope, open-group, leak), so that
// commuting independent steps also preserves every verdict.

#include <array>
#include <bitset>
#include <cstddef>
#include <vector>

#include "model/interpreter.hpp"
#include "model/program_set.hpp"
#include "model/scenario.hpp"
#include "model/world.hpp"

namespace bindcheck::model {

struct Footprint {
    static constexpr std::size_t kObjects = 512;
    std::bitset<kObjects> reads;
    std::bitset<kObjects> writes; // written objects are also read

    void read(std::size_t object) { reads.set(object); }
    void write(std::size_t object) {
        reads.set(object);
        writes.set(object);
    }
    Footprint& operator|=(const Footprint& other) {
        reads |= other.reads;
        writes |= other.writes;
        return *this;
    }
    [[nodiscard]] bool empty() const { return reads.none(); }
    friend bool operator==(const Footprint&, const Footprint&) = default;
};

/// One writes what the other reads or writes.
[[nodiscard]] inline bool conflicts(const Footprint& a, const Footprint& b) {
    return (a.writes & b.reads).any() || (b.writes & a.reads).any();
}

class FootprintAnalysis {
public:
    static constexpr std::size_t kMaxMasters = 64; // the parser allows 60
    /// Throws ModelLimit when the scenario has more shared objects than a Footprint holds.
    FootprintAnalysis(const Scenario& scenario, const ProgramSet& programs);

    /// Adds what thread `t` touched by executing `e` (one instruction of a step).
    void add_executed(Footprint& out, int t, const ExecutedInstruction& e) const;

    /// The footprint of a step that led from `before` to `after` and ran the
    /// instructions whose footprint is `executed`: it reads all they name,
    /// and writes only the objects whose value changed. What a step leaves
    /// unchanged cannot matter to another step, and what it does is fixed by
    /// what it read; so this is as sound as `executed` and often smaller.
    [[nodiscard]] Footprint as_step(const Footprint& executed, const World& before, const World& after) const;

    /// Everything thread `t` may still touch from `world` on, in any step it
    /// takes while the threads in `frozen` (bit t = thread t) do not move.
    /// With `until_lock`, only the steps before it next takes component_mutex:
    /// what it can do while a frozen thread keeps the mutex.
    [[nodiscard]] Footprint future(const World& world, int t, bool until_lock, std::uint64_t frozen) const;

private:
    // Object numbers. The symbolic ones (the parent of any master, the device
    // of any component: its List, Groups, Scoped view, or the slots of the
    // resources on it; any master's match header slot) only occur in static
    // summaries, never in a resolved future or an executed step.
    enum Symbolic : std::size_t {
        kAnyParentList, kAnyParentGroups, kAnyParentScoped, kAnyParentSlots,
        kAnyComponentList, kAnyComponentGroups, kAnyComponentScoped, kAnyComponentSlots,
        kAnyMatchSlot, kSymbolicCount,
    };
    static constexpr std::size_t kMutex = kSymbolicCount;
    static constexpr std::size_t kFramework = kSymbolicCount + 1;
    static constexpr std::size_t kOpenGroupBudget = kSymbolicCount + 2;
    static constexpr std::size_t kFirstPerObject = kSymbolicCount + 3;
    [[nodiscard]] std::size_t list(int device) const { return kFirstPerObject + static_cast<std::size_t>(device); }
    [[nodiscard]] std::size_t groups(int device) const {
        return kFirstPerObject + devices_ + static_cast<std::size_t>(device);
    }
    [[nodiscard]] std::size_t scoped(int device) const {
        return kFirstPerObject + 2 * devices_ + static_cast<std::size_t>(device);
    }
    [[nodiscard]] std::size_t slot(int resource) const {
        return kFirstPerObject + 3 * devices_ + static_cast<std::size_t>(resource);
    }
    [[nodiscard]] std::size_t completion(int k) const {
        return kFirstPerObject + 3 * devices_ + resources_ + static_cast<std::size_t>(k);
    }
    [[nodiscard]] std::size_t registration(int driver) const {
        return kFirstPerObject + 3 * devices_ + resources_ + completions_ + static_cast<std::size_t>(driver);
    }
    void write_registration(Footprint& out, int t, int owner, const std::vector<bool>& added_in_callback,
                            bool is_master) const;
    void write_slot(Footprint& out, int resource) const;
    /// Device views and slots of device d, for symbolic objects from `first` (a List symbol) on.
    void add_device(Footprint& out, const Footprint& symbolic, std::size_t first, int d) const;
    /// Replaces the symbolic objects by the parents of the masters and the
    /// devices of the components that can be worked on while `frozen` waits.
    void resolve(Footprint& fp, const World& world, std::uint64_t frozen) const;

    /// What executing `i` of `program` touches on thread t; m or c = -1: any master or component.
    void add_instruction(Footprint& out, int t, const Program& program, const Instruction& i, int m, int c) const;
    void devices_of(std::vector<int>& out, const Instruction& i, int t, int m, int c) const;
    void callees(std::vector<int>& out, const Instruction& i, int t) const;

    // Per thread, per program, per pc and per sign of the frame's return
    // register r: what may be touched from there to the program's exit (and
    // everything it calls), and how it may exit. Branches on r and a callee's
    // possible returns are followed, so that paths a known return value
    // rules out (a probe's failure path after its last failing call) do not
    // count. Four tables: all paths or paths that stop at a Lock, each with
    // or without framework group openings that fail (World's budget of them
    // only shrinks, so an empty budget stays empty).
    enum Sign : std::uint8_t { kNegative, kZero, kPositive, kSigns };
    static constexpr std::uint8_t kExitsVoid = 1U << kSigns; // exit bits: 1 << sign, or this one
    [[nodiscard]] static Sign sign_of(int r) { return r < 0 ? kNegative : r == 0 ? kZero : kPositive; }
    struct Summary {
        Footprint touched;
        std::uint8_t exits = 0; // may return a value of sign s (bit 1 << s), or none (kExitsVoid)
    };
    using Table = std::vector<std::vector<std::array<Summary, kSigns>>>; // [program][pc][sign of r]
    void summarise(Table& table, int t, bool until_lock, bool group_failures) const;
    [[nodiscard]] Footprint future_from(const Table& table, const World& world, int t) const;

    const Scenario& scenario_;
    const ProgramSet& programs_;
    std::size_t devices_ = 0;
    std::size_t resources_ = 0;
    std::size_t completions_ = 0;
    std::vector<std::vector<int>> holders_; // per allocation site: devices its nodes can be on
    std::vector<std::vector<int>> held_;    // per device: allocation sites whose nodes can be on it
    std::vector<std::array<Table, 4>> tables_; // per thread: [2 * until_lock + group_failures]
    // Masters and components a callback block may register: any thread may.
    std::vector<bool> master_added_in_callback_;
    std::vector<bool> component_added_in_callback_;
    bool any_master_added_in_callback_ = false;
};

} // namespace bindcheck::model
