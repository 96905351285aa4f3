#pragma once
// An interning table of 64-bit keys (in the tree store: pairs of 32-bit
// node numbers): every distinct key gets a dense 32-bit id, and the key of
// an id can be read back. The building block of tree compression
// (tree_store.hpp).
//
// Layout and cost per key (n keys):
//   keys    8 bytes, in chunks that never move (no doubling, no copy); or,
//           in a table made with Keys::Packed, 2b bits where b is the
//           width of the widest half (32-bit number) of a key in its chunk
//           (4.25 bytes for pairs of numbers below 2^17): a chunk is copied
//           at a larger width when a key needs it, and the old copy stays
//           until reclaim(), as an outgrown index does;
//   index   4-byte slots {tag, id + 1}, open addressing with linear
//           probing, split into 256 shards by the key's hash. A shard grows
//           by half when it would be more than 4/5 full, so slots are
//           between 53% and 80% used: 5 to 7.5 bytes a key. Growing one
//           shard at a time keeps the transient copy at 1/256 of the index,
//           where one big table would briefly need three times its size.
//   The tag is the part of a slot the id does not need (a shard widens its
//   ids when a new id needs it): it rules out most mismatches without
//   reading the key.
// About 13.5 bytes a key on average whole, 10 packed at b = 17.
//
// Threads: find(), key() and insert() may all run on several threads at
// once, so that a search can intern its states' inner nodes on every
// thread. Readers take no lock: a slot is published only after its key is
// written, and a shard that grows is replaced whole, so a reader sees
// either the old or the new index of a shard, both consistent. A reader can
// therefore miss a key inserted while it probes (find() is then only as of
// when it began); insert() locks the key's shard and looks again, so it
// never stores a key twice. An index a shard has outgrown stays allocated
// until reclaim(), because a reader may still be probing it.
//
// Ids are dense and in insertion order as long as one thread inserts at a
// time; inserting threads interleave their ids. A table made with
// Ids::InRuns instead hands each thread runs of 64 ids: no two threads then
// write the same counter or the same cache line of keys, at the price of
// ids that may skip (fewer than 64 a thread); size() counts the ids handed
// out, used or not. A table with packed keys takes inserts from one thread
// at a time (others may find and read keys meanwhile), and dense ids.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

namespace bindcheck::checker {

class PairTable {
public:
    using Id = std::uint32_t;

    enum class Ids { Dense, InRuns };
    enum class Keys { Whole, Packed };
    /// Throws std::invalid_argument for packed keys with ids in runs.
    explicit PairTable(Ids ids = Ids::Dense, Keys keys = Keys::Whole);
    PairTable(const PairTable&) = delete;
    PairTable& operator=(const PairTable&) = delete;
    PairTable(PairTable&&) noexcept;
    PairTable& operator=(PairTable&&) noexcept;
    ~PairTable();

    /// The id of `key`, if stored (when another thread inserts `key` at the
    /// same time, possibly not yet).
    [[nodiscard]] std::optional<Id> find(std::uint64_t key) const noexcept;
    /// Stores `key` unless stored; returns its id and whether it is new.
    /// Throws std::length_error past 2^32 - 2 keys, std::bad_alloc when
    /// memory runs out (with one inserting thread the table is then
    /// unchanged; with several, an id may be left unused).
    std::pair<Id, bool> insert(std::uint64_t key);

    /// The key of `id` (an id insert() or find() has returned).
    [[nodiscard]] std::uint64_t key(Id id) const noexcept
    {
        const std::uint64_t* keys =
            std::atomic_ref<std::uint64_t*>(chunks_[id >> chunk_shift]).load(std::memory_order_acquire);
        return packed_ ? packed_key(keys, id & (chunk_keys - 1)) : keys[id & (chunk_keys - 1)];
    }

    /// Ids handed out so far.
    [[nodiscard]] std::size_t size() const noexcept;
    /// Bytes allocated for keys and index (capacity, not just use).
    [[nodiscard]] std::size_t memory_bytes() const noexcept;

    /// Frees the indexes shards have outgrown. Only while no other thread
    /// uses the table.
    void reclaim() noexcept;

    /// Test hook: replaces the hash of every key, so that tests can force
    /// collisions. Only on an empty table.
    using HashFunction = std::uint64_t (*)(std::uint64_t) noexcept;
    void set_hash_for_testing(HashFunction hash);

private:
    static constexpr unsigned chunk_shift = 15; // 32768 keys, 256 KiB a chunk
    static constexpr std::size_t chunk_keys = std::size_t{1} << chunk_shift;
    static constexpr std::size_t max_chunks = (std::size_t{1} << 32) >> chunk_shift;
    static constexpr unsigned shard_bits = 8;
    static constexpr std::size_t shard_count = std::size_t{1} << shard_bits;

    /// A shard's index: replaced whole when it grows, never changed but for
    /// empty slots being filled.
    struct Index {
        std::uint32_t capacity;
        unsigned id_bits; // slot = (tag << id_bits) | (id + 1)
        [[nodiscard]] std::uint32_t* slots() noexcept { return reinterpret_cast<std::uint32_t*>(this + 1); }
        [[nodiscard]] const std::uint32_t* slots() const noexcept
        {
            return reinterpret_cast<const std::uint32_t*>(this + 1);
        }
    };
    struct Shard;
    struct IdRun;
    struct Shared; // everything the threads share; behind a pointer so the table can move
    static constexpr std::size_t id_run_length = 64;

    // A packed chunk: word 0 holds b, the width of a half; key k takes
    // bits [2bk, 2bk + 2b) of the words after it, its first half on top.
    // Words are read and written whole and atomically, as keys that share
    // a word may be read while another is written.
    [[nodiscard]] static std::uint64_t packed_key(const std::uint64_t* chunk, std::size_t k) noexcept
    {
        const auto word = [chunk](std::size_t w) {
            return std::atomic_ref<std::uint64_t>(const_cast<std::uint64_t&>(chunk[w])).load(std::memory_order_relaxed);
        };
        const auto half = static_cast<unsigned>(chunk[0]);
        const unsigned width = 2 * half;
        const std::size_t bit = k * width;
        const std::size_t first = 1 + bit / 64;
        const unsigned offset = bit % 64;
        std::uint64_t value = word(first) >> offset;
        if (offset + width > 64)
            value |= word(first + 1) << (64 - offset);
        if (width < 64)
            value &= (std::uint64_t{1} << width) - 1;
        const std::uint64_t low = half < 32 ? value & ((std::uint64_t{1} << half) - 1) : value & 0xffffffffULL;
        return ((value >> half) << 32) | low;
    }
    static std::size_t packed_chunk_words(unsigned half) noexcept { return 1 + chunk_keys * 2 * half / 64; }
    void store_key(std::size_t id, std::uint64_t key) noexcept;
    void widen_chunk(std::size_t id, std::uint64_t key);

    [[nodiscard]] std::uint64_t hash(std::uint64_t key) const noexcept;
    static std::size_t home(std::uint64_t hash, std::uint32_t capacity) noexcept
    {
        return static_cast<std::size_t>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(hash)) * capacity) >> 32);
    }
    static std::size_t shard_of(std::uint64_t hash) noexcept { return static_cast<std::size_t>(hash >> (64 - shard_bits)); }
    [[nodiscard]] std::optional<Id> find_in(const Index& index, std::uint64_t hash, std::uint64_t key) const noexcept;
    void rebuild_shard(std::size_t shard, std::uint32_t capacity, unsigned id_bits);
    void make_room(std::size_t shard, std::size_t id, std::uint64_t key);
    [[nodiscard]] IdRun& id_run() const noexcept;
    static void place(Index& index, std::uint64_t hash, Id id) noexcept;
    void ensure_chunk(std::size_t id);
    void release() noexcept;

    // Key chunks by number: a fixed directory, so that growing never moves
    // what readers look at (zero-filled pages: only the used part costs).
    std::uint64_t** chunks_ = nullptr;
    std::unique_ptr<Shared> shared_;
    HashFunction custom_hash_ = nullptr;
    bool runs_ = false;
    bool packed_ = false;
    std::uint64_t serial_ = 0; // tells this table's id runs apart from other tables'

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
