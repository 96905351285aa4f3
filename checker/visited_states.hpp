#pragma once
// The visited set as the search sees it, whichever way it stores states:
//   tree          exact, with sharing between states (tree_store.hpp); the default
//   exact         exact, every encoding whole (state_store.hpp); for comparisons
//   hash-compact  64-bit fingerprints only (fingerprint_store.hpp): a state whose
//                 fingerprint equals a stored one's is taken as visited, so a
//                 state can be missed, with a probability the store reports
// States are numbered 0, 1, 2, ... in insertion order, which the search
// relies on (BFS order: a level is a range of numbers).
//
// An insertion goes in two halves so that the search can spread work over
// threads: look_up() only reads, prepare() may also store what no state
// number depends on, and both (and read()) may run on several threads at
// once while nothing is inserted; insert() then runs on one thread, in the
// search's deterministic order: alone, or, where inserts_while_reading(),
// while other threads read, look up and prepare.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace bindcheck::checker {

enum class StoreKind { Tree, Exact, HashCompact };

[[nodiscard]] constexpr std::string_view to_string(StoreKind kind)
{
    switch (kind) {
    case StoreKind::Tree: return "tree";
    case StoreKind::Exact: return "exact";
    case StoreKind::HashCompact: return "hash-compact";
    }
    return "?";
}

/// A state's canonical bytes, optionally cut into segments (the model's
/// independent parts, e.g. one per device): segment_ends holds the end
/// offset of each segment, the last one equal to bytes.size(). Empty
/// segment_ends means one segment. A model must cut every state into the
/// same number of segments.
struct EncodedState {
    std::span<const std::byte> bytes;
    std::span<const std::uint32_t> segment_ends;
};

/// A state read back from a store, with what the store needs to insert
/// this state's successors faster (tree nodes the successors may share).
struct StoredState {
    std::vector<std::byte> bytes;
    std::vector<std::uint32_t> segment_ends;
    std::vector<std::uint32_t> nodes; ///< store-private

    [[nodiscard]] EncodedState encoded() const { return {bytes, segment_ends}; }
};

class VisitedStates {
public:
    using Index = std::uint32_t;

    /// What look_up found out; to be handed to insert() unchanged.
    struct Lookup {
        std::uint64_t key = 0;        ///< store-private
        /// key is the state's whole identity: insert() and contains() then
        /// need nothing else of the state (the search may drop its bytes).
        bool key_complete = false;
        /// The state is stored: its number, or 0 where the store keeps no
        /// numbers (hash compaction: nothing needs the number of an old state).
        std::optional<Index> found;
    };

    virtual ~VisitedStates() = default;

    /// Whether read() works (false for hash compaction: the search must keep
    /// the states it has yet to expand itself).
    [[nodiscard]] virtual bool keeps_states() const noexcept = 0;
    /// Reads state `index` back (only if keeps_states()).
    virtual void read(Index index, StoredState& out) const = 0;

    /// Read-only first half of an insertion. `base`, if given, is a state
    /// read from this store that `state` likely shares parts with (its
    /// parent); it only makes the work smaller.
    [[nodiscard]] virtual Lookup look_up(const EncodedState& state, const StoredState* base) const = 0;
    /// look_up(), for a search on several threads: may also store the
    /// parts of `state` that no state number depends on (the tree store's
    /// inner nodes), which leaves less for insert() to do on its one thread.
    /// Its answer is as good as look_up's for insert().
    [[nodiscard]] virtual Lookup prepare(const EncodedState& state, const StoredState* base)
    {
        return look_up(state, base);
    }
    /// Stores `state` unless stored; returns its number and whether it is new.
    /// `lookup` is look_up's answer for the same state and base, taken
    /// before any insertion or later.
    virtual std::pair<Index, bool> insert(const EncodedState& state, const Lookup& lookup,
                                          const StoredState* base) = 0;
    std::pair<Index, bool> insert(const EncodedState& state) { return insert(state, look_up(state, nullptr), nullptr); }
    /// Whether `state` is stored now; `lookup` as for insert().
    [[nodiscard]] virtual bool contains(const EncodedState& state, const Lookup& /*lookup*/, const StoredState* base) const
    {
        return look_up(state, base).found.has_value();
    }

    /// Whether insert() may run on one thread while others call read(),
    /// look_up() and prepare(); their answers are then as of some moment
    /// during the insertions (a state being inserted may look absent).
    [[nodiscard]] virtual bool inserts_while_reading() const noexcept { return false; }
    /// Frees what was kept for readers on other threads; only while no
    /// other call runs.
    virtual void reclaim() noexcept {}

    [[nodiscard]] virtual std::size_t size() const noexcept = 0;
    /// Bytes the store has allocated; cheap, so the search can watch it.
    [[nodiscard]] virtual std::size_t memory_bytes() const noexcept = 0;
    /// An upper bound on the probability that some reachable state was taken
    /// for a stored one and so never explored; 0 for an exact store.
    [[nodiscard]] virtual double omission_probability() const noexcept { return 0.0; }
};

} // namespace bindcheck::checker
