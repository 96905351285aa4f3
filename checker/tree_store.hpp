#pragma once
// An exact visited set with sharing between states: tree compression, after
// LTSmin's tree database and SPIN's collapse compression.
//
// A state is cut into its model's segments (EncodedState). Each segment's
// bytes are packed into 32-bit words; a balanced binary tree over the words
// is stored as interned pairs (PairTable), and the segment becomes the pair
// {length, root of its words}. Over the segments' numbers another balanced
// tree of pairs is built; its top pair goes into a second table whose ids
// are the state numbers. Equal subtrees are stored once, whichever states
// they belong to, so a new state usually costs its top pair plus the few
// pairs on the paths from its changed segments up: with the segments being
// devices, threads and registries, a step changes two or three of them.
//
// Cost per state: the top pair, about 10 bytes in its table with its key
// packed (pair_table.hpp), plus the new inner pairs, 13.5 bytes each, fewer
// the more states share.
// Reading a state back walks its tree; inserting a successor of a state
// that was read (the `base`) re-interns only the segments that differ.
//
// Exact: a pair's number is found by comparing the whole pair, and a tree's
// shape depends only on the segment count and segment lengths, which the
// pairs record, so two states share a number only when byte-for-byte equal.

#include "checker/pair_table.hpp"
#include "checker/visited_states.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bindcheck::checker {

class TreeStore final : public VisitedStates {
public:
    [[nodiscard]] bool keeps_states() const noexcept override { return true; }
    void read(Index index, StoredState& out) const override;
    [[nodiscard]] Lookup look_up(const EncodedState& state, const StoredState* base) const override;
    /// Interns the inner nodes (safe on several threads at once: the node
    /// table takes concurrent inserts), so that insert() has only the top
    /// pair left. Node numbers then depend on the threads' timing; state
    /// numbers do not.
    [[nodiscard]] Lookup prepare(const EncodedState& state, const StoredState* base) override;
    std::pair<Index, bool> insert(const EncodedState& state, const Lookup& lookup, const StoredState* base) override;
    using VisitedStates::insert;
    [[nodiscard]] bool contains(const EncodedState& state, const Lookup& lookup, const StoredState* base) const override
    {
        return lookup.key_complete ? roots_.find(lookup.key).has_value() : look_up(state, base).found.has_value();
    }

    /// Yes: both tables take inserts while others read (pair_table.hpp).
    [[nodiscard]] bool inserts_while_reading() const noexcept override { return true; }
    void reclaim() noexcept override
    {
        nodes_.reclaim();
        roots_.reclaim();
    }

    [[nodiscard]] std::size_t size() const noexcept override { return roots_.size(); }
    [[nodiscard]] std::size_t memory_bytes() const noexcept override
    {
        return nodes_.memory_bytes() + roots_.memory_bytes();
    }
    /// Inner pairs stored (all pairs but the states' top pairs).
    [[nodiscard]] std::size_t node_count() const noexcept { return nodes_.size(); }

    /// Test hook: every pair hashes by `hash` (e.g. to force collisions).
    void set_hash_for_testing(PairTable::HashFunction hash)
    {
        nodes_.set_hash_for_testing(hash);
        roots_.set_hash_for_testing(hash);
    }

private:
    /// A node of the tree over segments, in preorder; ranges_[0] is the top.
    struct Range {
        std::uint32_t first = 0; // segments [first, last)
        std::uint32_t last = 0;
        std::int32_t left = -1;  // child ranges; -1 for a single segment
        std::int32_t right = -1;
    };

    void set_shape(std::size_t segment_count);
    std::int32_t add_range(std::uint32_t first, std::uint32_t last);
    [[nodiscard]] std::size_t segment_count_of(const EncodedState& state) const;

    template <bool Insert>
    bool intern(std::uint64_t key, std::uint32_t& id);
    template <bool Insert>
    bool intern_words(const EncodedState& state, std::size_t begin, std::size_t end, std::size_t first_word,
                      std::size_t word_count, std::uint32_t& id);
    template <bool Insert>
    bool segment_id(const EncodedState& state, std::size_t segment, std::uint32_t& id);
    template <bool Insert>
    bool segment_key(const EncodedState& state, std::size_t segment, std::uint64_t& key);
    template <bool Insert>
    bool top_key(const EncodedState& state, const StoredState* base, std::uint64_t& key, std::vector<std::uint32_t>* nodes);
    template <bool Insert>
    bool range_id(std::int32_t range, const EncodedState& state, const StoredState* base,
                  const std::vector<bool>& changed, std::uint32_t& id, std::vector<std::uint32_t>* nodes);

    void read_segment(std::uint64_t key, std::vector<std::byte>& out) const;
    void read_words(std::uint32_t id, std::size_t words, std::vector<std::byte>& out) const;
    void read_range(std::int32_t range, std::uint64_t key, StoredState& out) const;

    // Tells this store's entries apart in the per-thread segment cache.
    std::uint64_t cache_owner_ = next_cache_owner();
    static std::uint64_t next_cache_owner();

    // Inner pairs: word pairs, segments, ranges below the top. Interned by
    // several threads at once (prepare()), so ids come in per-thread runs.
    PairTable nodes_{PairTable::Ids::InRuns};
    // Top pairs; ids are state numbers. One thread inserts (insert()), so
    // their keys can be packed: pairs of node numbers, far below 2^32.
    PairTable roots_{PairTable::Ids::Dense, PairTable::Keys::Packed};
    std::size_t segment_count_ = 0; // 0 until the first insertion
    std::vector<Range> ranges_;
};

} // namespace bindcheck::checker
