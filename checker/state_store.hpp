#pragma once
// The visited set: every state the search has stored, as its canonical byte
// string, numbered in insertion order (the BFS relies on that order: state
// numbers double as the search queue). Exact: two byte strings share a number
// only when they are byte-for-byte equal; a hash hit is always confirmed by a
// full comparison, so a collision costs time, never a missed state.
//
// Layout and cost per stored state (n states, L bytes of encoding):
//   arena   L + 1 bytes (L < 128; +1 per further 7 bits of L) as a varint
//           length prefix followed by the bytes, in 1 MiB chunks that never
//           move, so a span from get() stays valid for the store's lifetime;
//   index   8 bytes, one pointer per state to its record in the arena;
//   table   8-byte slots {hash tag, state number + 1}, open addressing with
//           linear probing, at most 3/4 full and doubled when it would be
//           fuller: 10.7 to 21.3 bytes per state (16 on average).
// So about L + 25 bytes a state, plus the vectors' growth slack.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace bindcheck::checker {

/// Hash of a state's canonical bytes. Injectable only so tests can force
/// collisions; the search always uses xxh3_hash.
using StateHashFunction = std::uint64_t (*)(std::span<const std::byte>) noexcept;

/// XXH3-64 of the bytes: fast, and good enough that the 32-bit tag kept in
/// each table slot rules out almost every mismatch without touching the arena.
[[nodiscard]] std::uint64_t xxh3_hash(std::span<const std::byte> bytes) noexcept;

namespace detail {

/// Zero-filled, page-backed array of table slots. mmap gives zeroed pages
/// lazily (no memset on growth) and lets the kernel back a big table with
/// huge pages: the table is probed at random, and with 4 KiB pages nearly
/// every probe of a large table is also a TLB miss.
class SlotTable {
public:
    SlotTable() = default;
    explicit SlotTable(std::size_t count); ///< count: a power of two
    SlotTable(SlotTable&& other) noexcept { swap(other); }
    SlotTable& operator=(SlotTable&& other) noexcept
    {
        SlotTable(std::move(other)).swap(*this);
        return *this;
    }
    ~SlotTable();

    [[nodiscard]] std::uint64_t& operator[](std::size_t i) noexcept { return data_[i]; }
    [[nodiscard]] std::uint64_t operator[](std::size_t i) const noexcept { return data_[i]; }
    [[nodiscard]] const std::uint64_t* data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return count_; }
    [[nodiscard]] std::size_t mask() const noexcept { return count_ - 1; } // count_ is a power of two
    [[nodiscard]] std::size_t bytes() const noexcept { return count_ * sizeof(std::uint64_t); }

private:
    void swap(SlotTable& other) noexcept
    {
        std::swap(data_, other.data_);
        std::swap(count_, other.count_);
    }
    std::uint64_t* data_ = nullptr;
    std::size_t count_ = 0;
};

} // namespace detail

class StateStore;

/// A byte string whose hash is computed and whose table slot is already on
/// its way into the cache (StateStore::prepare). Probing a big table is a
/// cache miss; preparing early lets other work hide it.
class PreparedBytes {
public:
    [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return bytes_; }

private:
    friend class StateStore;
    PreparedBytes(std::span<const std::byte> bytes, std::uint64_t hash) : bytes_(bytes), hash_(hash) {}
    std::span<const std::byte> bytes_;
    std::uint64_t hash_;
};

class StateStore {
public:
    /// State numbers are 32 bits: the parent links of the search are too, and
    /// 4 billion states is far past what fits in memory at ~25 bytes each.
    using Index = std::uint32_t;

    explicit StateStore(StateHashFunction hash = xxh3_hash);

    /// Stores `bytes` unless an equal byte string is already stored.
    /// Returns the string's number and whether it was newly inserted; new
    /// strings get consecutive numbers starting at 0.
    /// Throws std::length_error past 2^32 - 1 states.
    std::pair<Index, bool> insert(std::span<const std::byte> bytes) { return insert(prepare(bytes)); }
    std::pair<Index, bool> insert(const PreparedBytes& prepared);

    /// The number of the stored string equal to `bytes`, if any; stores nothing.
    [[nodiscard]] std::optional<Index> find(std::span<const std::byte> bytes) const { return find(prepare(bytes)); }
    [[nodiscard]] std::optional<Index> find(const PreparedBytes& prepared) const;

    /// Hashes `bytes` and prefetches their slot, for a later insert or find
    /// on this store. The bytes must stay unchanged until then.
    [[nodiscard]] PreparedBytes prepare(std::span<const std::byte> bytes) const noexcept;

    /// The bytes stored as number `index` (< size()). Valid as long as the store.
    [[nodiscard]] std::span<const std::byte> get(Index index) const;

    /// How many distinct byte strings are stored.
    [[nodiscard]] std::size_t size() const noexcept { return records_.size(); }

    /// Bytes allocated for arena, index and table (capacity, not just use).
    [[nodiscard]] std::size_t memory_bytes() const noexcept;

private:
    struct Probe {
        std::size_t slot;            // where the string is, or the empty slot that ends its chain
        std::optional<Index> found;  // its number, when stored
    };

    [[nodiscard]] Probe probe(std::span<const std::byte> bytes, std::uint64_t hash) const;
    static std::size_t first_empty_slot(const detail::SlotTable& slots, std::uint64_t hash);
    const std::byte* append_record(std::span<const std::byte> bytes);
    void grow_table();

    StateHashFunction hash_;
    // Chunks are owned here and never reallocated: records_ points into them.
    std::vector<std::unique_ptr<std::byte[]>> chunks_;
    std::size_t arena_allocated_ = 0;
    std::byte* chunk_cursor_ = nullptr; // free space left in the current chunk
    std::size_t chunk_left_ = 0;
    std::vector<const std::byte*> records_; // state number -> varint length + bytes
    detail::SlotTable slots_;               // (tag << 32) | (number + 1); 0 = empty
};

} // namespace bindcheck::checker
