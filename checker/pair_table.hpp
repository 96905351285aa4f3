#pragma once
// An interning table of 64-bit keys (in the tree store: pairs of 32-bit
// node numbers): every distinct key gets a dense 32-bit id in insertion
// order, and the key of an id can be read back. The building block of
// tree compression (tree_store.hpp).
//
// Layout and cost per key (n keys):
//   keys    8 bytes, in chunks that never move (no doubling, no copy);
//   index   4-byte slots {tag, id + 1}, open addressing with linear
//           probing, split into 256 shards by the key's hash. A shard grows
//           by half when it would be more than 4/5 full, so slots are
//           between 53% and 80% used: 5 to 7.5 bytes a key. Growing one
//           shard at a time keeps the transient copy at 1/256 of the index,
//           where one big table would briefly need three times its size.
//   The tag is the part of a slot the id does not need (a shard widens its
//   ids when a new id needs it): it rules out most mismatches without
//   reading the key.
// About 13.5 bytes a key on average.
//
// Thread safety: find() and key() only read, and may run on several threads
// at once as long as no thread inserts.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace bindcheck::checker {

class PairTable {
public:
    using Id = std::uint32_t;

    PairTable();
    PairTable(const PairTable&) = delete;
    PairTable& operator=(const PairTable&) = delete;
    PairTable(PairTable&&) noexcept;
    PairTable& operator=(PairTable&&) noexcept;
    ~PairTable();

    /// The id of `key`, if stored.
    [[nodiscard]] std::optional<Id> find(std::uint64_t key) const noexcept;
    /// Stores `key` unless stored; returns its id and whether it is new.
    /// Ids are 0, 1, 2, ... in insertion order. Throws std::length_error
    /// past 2^32 - 2 keys, std::bad_alloc when memory runs out (the table
    /// is then unchanged).
    std::pair<Id, bool> insert(std::uint64_t key);

    /// The key of `id` (< size()).
    [[nodiscard]] std::uint64_t key(Id id) const noexcept
    {
        return chunks_[id >> chunk_shift][id & (chunk_keys - 1)];
    }

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// Bytes allocated for keys and index (capacity, not just use).
    [[nodiscard]] std::size_t memory_bytes() const noexcept { return allocated_bytes_; }

    /// Test hook: replaces the hash of every key, so that tests can force
    /// collisions. Only on an empty table.
    using HashFunction = std::uint64_t (*)(std::uint64_t) noexcept;
    void set_hash_for_testing(HashFunction hash);

private:
    static constexpr unsigned chunk_shift = 15; // 32768 keys, 256 KiB a chunk
    static constexpr std::size_t chunk_keys = std::size_t{1} << chunk_shift;
    static constexpr unsigned shard_bits = 8;
    static constexpr std::size_t shard_count = std::size_t{1} << shard_bits;

    struct Shard {
        std::uint32_t* slots = nullptr;
        std::uint32_t capacity = 0;
        std::uint32_t count = 0;
        unsigned id_bits = 16; // slot = (tag << id_bits) | (id + 1)
    };

    [[nodiscard]] std::uint64_t hash(std::uint64_t key) const noexcept;
    static std::size_t home(std::uint64_t hash, std::uint32_t capacity) noexcept
    {
        return static_cast<std::size_t>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(hash)) * capacity) >> 32);
    }
    static std::size_t shard_of(std::uint64_t hash) noexcept { return static_cast<std::size_t>(hash >> (64 - shard_bits)); }
    void rebuild_shard(Shard& shard, std::uint32_t capacity, unsigned id_bits);
    static void place(Shard& shard, std::uint64_t hash, Id id) noexcept;
    void append_key(std::uint64_t key);
    void release() noexcept;

    std::vector<std::unique_ptr<std::uint64_t[]>> chunks_;
    std::array<Shard, shard_count> shards_{};
    std::size_t size_ = 0;
    std::size_t allocated_bytes_ = 0;
    HashFunction custom_hash_ = nullptr;
};

/// A well-mixed 64-bit hash of a 64-bit value (the splitmix64 finaliser).
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) noexcept
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

namespace detail {
/// Zero-filled memory for slot arrays: mmap for large ones (zero pages come
/// lazily and go back to the system on release), calloc for small ones.
void* allocate_zeroed(std::size_t bytes);
void release_zeroed(void* memory, std::size_t bytes) noexcept;
} // namespace detail

} // namespace bindcheck::checker
