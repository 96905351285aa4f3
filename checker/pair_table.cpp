#include "checker/pair_table.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>
#include <mutex>
#include <new>
#include <stdexcept>
#include <thread>
#include <vector>

namespace bindcheck::checker {

namespace detail {

namespace {
// Shard indexes grow all at about the same time (keys spread evenly), and
// the outgrown ones are freed. From the C heap, freed blocks in its middle
// stay resident (about 20 MB at 3.5 million keys, 6 bytes a key); mapped
// pages go back to the system. So anything of a page or more is mapped.
constexpr std::size_t mmap_threshold = std::size_t{4} << 10;
}

void* allocate_zeroed(std::size_t bytes)
{
    if (bytes >= mmap_threshold) {
        void* pages = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (pages == MAP_FAILED)
            throw std::bad_alloc();
        return pages;
    }
    void* memory = std::calloc(bytes, 1);
    if (memory == nullptr)
        throw std::bad_alloc();
    return memory;
}

void release_zeroed(void* memory, std::size_t bytes) noexcept
{
    if (memory == nullptr)
        return;
    if (bytes >= mmap_threshold)
        munmap(memory, bytes);
    else
        std::free(memory);
}

} // namespace detail

namespace {

constexpr std::uint32_t initial_shard_capacity = 16;
constexpr unsigned initial_id_bits = 16;
constexpr unsigned max_id_bits = 32;
constexpr std::size_t max_keys = (std::size_t{1} << 32) - 2;

std::uint32_t id_mask(unsigned id_bits) noexcept
{
    return id_bits >= max_id_bits ? ~std::uint32_t{0} : (std::uint32_t{1} << id_bits) - 1;
}

// The tag comes from hash bits that neither the shard (top 8) nor the home
// slot (low 32) uses.
std::uint32_t tag_bits(std::uint64_t hash, unsigned id_bits) noexcept
{
    return id_bits >= max_id_bits ? 0 : static_cast<std::uint32_t>((hash >> 32) << id_bits);
}

std::uint32_t load_slot(const std::uint32_t& slot, std::memory_order order) noexcept
{
    // The slot is never const; the index hands out const views to readers.
    return std::atomic_ref<std::uint32_t>(const_cast<std::uint32_t&>(slot)).load(order);
}

/// A shard's insertion lock. Held briefly (a probe and a store; rarely a
/// shard's growth, 1/256 of the index), so waiting spins, then yields: the
/// machine may have fewer cores than threads.
class SpinLock {
public:
    explicit SpinLock(std::atomic<bool>& locked) noexcept : locked_(locked)
    {
        unsigned spins = 0;
        while (locked_.exchange(true, std::memory_order_acquire)) {
            while (locked_.load(std::memory_order_relaxed)) {
                if (++spins > 64)
                    std::this_thread::yield();
            }
        }
    }
    SpinLock(const SpinLock&) = delete;
    SpinLock& operator=(const SpinLock&) = delete;
    ~SpinLock() { locked_.store(false, std::memory_order_release); }

private:
    std::atomic<bool>& locked_;
};

} // namespace

// What inserting into a shard writes: a cache line each, apart from what
// readers read, so that one thread's insertions do not evict the lines
// other threads are probing with.
struct alignas(64) PairTable::Shard {
    std::atomic<bool> locked{false};
    std::uint32_t count = 0; // keys in the shard; guarded by `locked`
};

/// The ids a thread has taken from the table but not yet given out.
struct PairTable::IdRun {
    std::uint64_t table = 0; // serial_ of the table; 0 = none
    std::size_t next = 0;
    std::size_t end = 0;
};

struct PairTable::Shared {
    // Read by every find(); written only when a shard grows.
    std::array<std::atomic<Index*>, shard_count> indexes{};
    std::array<Shard, shard_count> shards;
    alignas(64) std::atomic<std::size_t> size{0};
    std::atomic<std::size_t> allocated_bytes{0};
    std::mutex retired_mutex;
    std::vector<Index*> retired; // outgrown indexes, freed by reclaim()
    std::vector<std::uint64_t*> retired_chunks; // outgrown packed key chunks, likewise
    std::atomic<bool> any_retired{false};
};

namespace {

std::size_t index_bytes(std::uint32_t capacity) noexcept
{
    return 2 * sizeof(std::uint32_t) + std::size_t{capacity} * sizeof(std::uint32_t);
}

} // namespace

namespace {
std::atomic<std::uint64_t> next_table_serial{1};
}

PairTable::PairTable(Ids ids, Keys keys)
    : runs_(ids == Ids::InRuns), packed_(keys == Keys::Packed),
      serial_(next_table_serial.fetch_add(1, std::memory_order_relaxed))
{
    if (runs_ && packed_)
        throw std::invalid_argument("PairTable: packed keys need one inserting thread and dense ids");
    static_assert(sizeof(Index) == 2 * sizeof(std::uint32_t));
    try {
        chunks_ = static_cast<std::uint64_t**>(detail::allocate_zeroed(max_chunks * sizeof(std::uint64_t*)));
        shared_ = std::make_unique<Shared>();
        for (std::atomic<Index*>& slot : shared_->indexes) {
            auto* index = new (detail::allocate_zeroed(index_bytes(initial_shard_capacity)))
                Index{initial_shard_capacity, initial_id_bits};
            slot.store(index, std::memory_order_relaxed);
            shared_->allocated_bytes.fetch_add(index_bytes(initial_shard_capacity), std::memory_order_relaxed);
        }
    } catch (...) {
        release();
        throw;
    }
}

PairTable::PairTable(PairTable&& other) noexcept
    : chunks_(other.chunks_), shared_(std::move(other.shared_)), custom_hash_(other.custom_hash_), runs_(other.runs_),
      packed_(other.packed_), serial_(other.serial_)
{
    other.serial_ = next_table_serial.fetch_add(1, std::memory_order_relaxed); // its runs stay with the ids
    other.chunks_ = nullptr;
}

PairTable& PairTable::operator=(PairTable&& other) noexcept
{
    if (this != &other) {
        release();
        chunks_ = other.chunks_;
        shared_ = std::move(other.shared_);
        custom_hash_ = other.custom_hash_;
        runs_ = other.runs_;
        packed_ = other.packed_;
        serial_ = other.serial_;
        other.serial_ = next_table_serial.fetch_add(1, std::memory_order_relaxed);
        other.chunks_ = nullptr;
    }
    return *this;
}

PairTable::~PairTable() { release(); }

void PairTable::release() noexcept
{
    if (shared_) {
        reclaim();
        for (std::atomic<Index*>& slot : shared_->indexes) {
            Index* index = slot.exchange(nullptr, std::memory_order_relaxed);
            if (index != nullptr)
                detail::release_zeroed(index, index_bytes(index->capacity));
        }
        if (chunks_ != nullptr) {
            // Chunks are made for ids up to one past the last handed out.
            const std::size_t used = shared_->size.load(std::memory_order_relaxed) / chunk_keys + 2;
            for (std::size_t c = 0; c < used && c < max_chunks; ++c)
                delete[] chunks_[c];
        }
        shared_.reset();
    }
    detail::release_zeroed(chunks_, max_chunks * sizeof(std::uint64_t*));
    chunks_ = nullptr;
}

void PairTable::reclaim() noexcept
{
    if (!shared_ || !shared_->any_retired.load(std::memory_order_acquire))
        return;
    const std::lock_guard lock(shared_->retired_mutex);
    for (Index* index : shared_->retired) {
        shared_->allocated_bytes.fetch_sub(index_bytes(index->capacity), std::memory_order_relaxed);
        detail::release_zeroed(index, index_bytes(index->capacity));
    }
    shared_->retired.clear();
    for (std::uint64_t* chunk : shared_->retired_chunks) {
        shared_->allocated_bytes.fetch_sub(packed_chunk_words(static_cast<unsigned>(chunk[0])) * sizeof(std::uint64_t),
                                           std::memory_order_relaxed);
        delete[] chunk;
    }
    shared_->retired_chunks.clear();
    shared_->any_retired.store(false, std::memory_order_relaxed);
}

std::size_t PairTable::size() const noexcept
{
    return shared_ ? shared_->size.load(std::memory_order_relaxed) : 0;
}

std::size_t PairTable::memory_bytes() const noexcept
{
    return shared_ ? shared_->allocated_bytes.load(std::memory_order_relaxed) : 0;
}

void PairTable::set_hash_for_testing(HashFunction hash)
{
    if (size() != 0)
        throw std::logic_error("PairTable::set_hash_for_testing: table not empty");
    custom_hash_ = hash;
}

std::uint64_t PairTable::hash(std::uint64_t key) const noexcept
{
    return custom_hash_ != nullptr ? custom_hash_(key) : mix64(key);
}

std::optional<PairTable::Id> PairTable::find_in(const Index& index, std::uint64_t h, std::uint64_t key) const noexcept
{
    const std::uint32_t ids = id_mask(index.id_bits);
    const std::uint32_t tag = tag_bits(h, index.id_bits);
    const std::uint32_t* slots = index.slots();
    for (std::size_t slot = home(h, index.capacity);; slot = slot + 1 == index.capacity ? 0 : slot + 1) {
        // Acquire: a slot is stored after its key (insert()).
        const std::uint32_t value = load_slot(slots[slot], std::memory_order_acquire);
        if (value == 0)
            return std::nullopt;
        if ((value & ~ids) == tag) {
            const Id id = (value & ids) - 1;
            if (this->key(id) == key)
                return id;
        }
    }
}

std::optional<PairTable::Id> PairTable::find(std::uint64_t key) const noexcept
{
    const std::uint64_t h = hash(key);
    return find_in(*shared_->indexes[shard_of(h)].load(std::memory_order_acquire), h, key);
}

void PairTable::place(Index& index, std::uint64_t h, Id id) noexcept
{
    std::uint32_t* slots = index.slots();
    std::size_t slot = home(h, index.capacity);
    while (load_slot(slots[slot], std::memory_order_relaxed) != 0)
        slot = slot + 1 == index.capacity ? 0 : slot + 1;
    std::atomic_ref<std::uint32_t>(slots[slot]).store(tag_bits(h, index.id_bits) | (id + 1), std::memory_order_release);
}

void PairTable::rebuild_shard(std::size_t shard, std::uint32_t capacity, unsigned id_bits)
{
    // Build the new index before the old one goes, so that a failed
    // allocation leaves the shard as it was. Readers still probing the old
    // one find everything it had; it is freed by reclaim().
    Index* old = shared_->indexes[shard].load(std::memory_order_relaxed);
    auto* rebuilt = new (detail::allocate_zeroed(index_bytes(capacity))) Index{capacity, id_bits};
    const std::uint32_t ids = id_mask(old->id_bits);
    for (std::uint32_t k = 0; k < old->capacity; ++k) {
        const std::uint32_t value = load_slot(old->slots()[k], std::memory_order_relaxed);
        if (value != 0) {
            const Id id = (value & ids) - 1;
            place(*rebuilt, hash(key(id)), id);
        }
    }
    const std::lock_guard lock(shared_->retired_mutex);
    try {
        shared_->retired.reserve(shared_->retired.size() + 1);
    } catch (...) {
        detail::release_zeroed(rebuilt, index_bytes(capacity));
        throw;
    }
    shared_->indexes[shard].store(rebuilt, std::memory_order_release);
    shared_->allocated_bytes.fetch_add(index_bytes(capacity), std::memory_order_relaxed);
    shared_->retired.push_back(old);
    shared_->any_retired.store(true, std::memory_order_release);
}

void PairTable::ensure_chunk(std::size_t id)
{
    std::atomic_ref<std::uint64_t*> entry(chunks_[id >> chunk_shift]);
    if (entry.load(std::memory_order_acquire) != nullptr)
        return;
    auto fresh = std::make_unique_for_overwrite<std::uint64_t[]>(chunk_keys);
    std::uint64_t* expected = nullptr;
    if (entry.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel, std::memory_order_acquire)) {
        fresh.release();
        shared_->allocated_bytes.fetch_add(chunk_keys * sizeof(std::uint64_t), std::memory_order_relaxed);
    }
}

namespace {

/// Half of a pair packed into a chunk: the bits its wider half needs.
unsigned half_width(std::uint64_t key) noexcept
{
    return std::max(1U, static_cast<unsigned>(std::bit_width((key >> 32) | (key & 0xffffffffULL))));
}

/// ORs `key` into the k-th place of a packed chunk (an empty place, wide enough).
void put_packed(std::uint64_t* chunk, std::size_t k, std::uint64_t key) noexcept
{
    const auto half = static_cast<unsigned>(chunk[0]);
    const unsigned width = 2 * half;
    const std::uint64_t value = ((key >> 32) << half) | (key & 0xffffffffULL);
    const std::size_t bit = k * width;
    const std::size_t first = 1 + bit / 64;
    const unsigned offset = bit % 64;
    std::atomic_ref<std::uint64_t> low(chunk[first]);
    low.store(low.load(std::memory_order_relaxed) | (value << offset), std::memory_order_relaxed);
    if (offset + width > 64) {
        std::atomic_ref<std::uint64_t> high(chunk[first + 1]);
        high.store(high.load(std::memory_order_relaxed) | (value >> (64 - offset)), std::memory_order_relaxed);
    }
}

} // namespace

void PairTable::widen_chunk(std::size_t id, std::uint64_t key)
{
    // Only the one inserting thread changes the directory of a packed table.
    const std::size_t c = id >> chunk_shift;
    std::uint64_t* old = chunks_[c];
    unsigned half = half_width(key);
    if (old != nullptr) {
        if (old[0] >= half)
            return;
    } else if (c > 0 && chunks_[c - 1] != nullptr) {
        // Numbers only grow: start as wide as the chunk before ended.
        half = std::max(half, static_cast<unsigned>(chunks_[c - 1][0]));
    }
    const std::size_t words = packed_chunk_words(half);
    auto fresh = std::make_unique<std::uint64_t[]>(words);
    fresh[0] = half;
    if (old != nullptr) {
        for (std::size_t k = 0; k < chunk_keys; ++k)
            put_packed(fresh.get(), k, packed_key(old, k));
        const std::lock_guard lock(shared_->retired_mutex);
        shared_->retired_chunks.reserve(shared_->retired_chunks.size() + 1);
        // Readers still holding the old chunk read the same keys from it.
        std::atomic_ref<std::uint64_t*>(chunks_[c]).store(fresh.get(), std::memory_order_release);
        shared_->retired_chunks.push_back(old);
        shared_->any_retired.store(true, std::memory_order_release);
    } else {
        std::atomic_ref<std::uint64_t*>(chunks_[c]).store(fresh.get(), std::memory_order_release);
    }
    shared_->allocated_bytes.fetch_add(words * sizeof(std::uint64_t), std::memory_order_relaxed);
    fresh.release();
}

void PairTable::store_key(std::size_t id, std::uint64_t key) noexcept
{
    std::uint64_t* chunk = std::atomic_ref<std::uint64_t*>(chunks_[id >> chunk_shift]).load(std::memory_order_acquire);
    if (packed_)
        put_packed(chunk, id & (chunk_keys - 1), key);
    else
        chunk[id & (chunk_keys - 1)] = key;
}

void PairTable::make_room(std::size_t shard, std::size_t id, std::uint64_t key)
{
    if (packed_)
        widen_chunk(id, key);
    else
        ensure_chunk(id);
    const Index& index = *shared_->indexes[shard].load(std::memory_order_relaxed);
    // id + 1 must fit in the shard's id bits; past that the shard is
    // rebuilt with wider ids (and narrower tags), once per doubling of ids.
    unsigned id_bits = index.id_bits;
    while (id_bits < max_id_bits && std::uint64_t{id} + 1 > id_mask(id_bits))
        ++id_bits;
    std::uint64_t capacity = index.capacity;
    if ((std::uint64_t{shared_->shards[shard].count} + 1) * 5 > capacity * 4) {
        capacity += capacity / 2;
        // Rebuilt anyway: room for ids up to twice this one. Else, when ids
        // pass a power of two, every shard would rebuild for wider ids at
        // once, each keeping its old index until reclaim(): the whole index
        // twice for a moment (+58 MiB at 8.4 million states).
        while (id_bits < max_id_bits && 2 * (std::uint64_t{id} + 1) > id_mask(id_bits))
            ++id_bits;
    }
    if (capacity > 0xffffffffULL)
        throw std::length_error("PairTable: shard too large");
    if (capacity != index.capacity || id_bits != index.id_bits)
        rebuild_shard(shard, static_cast<std::uint32_t>(capacity), id_bits);
}

PairTable::IdRun& PairTable::id_run() const noexcept
{
    // A few tables per thread at most (a tree store has one in runs).
    thread_local std::array<IdRun, 4> runs;
    thread_local std::size_t replace = 0;
    for (IdRun& run : runs) {
        if (run.table == serial_)
            return run;
    }
    IdRun& run = runs[replace++ % runs.size()]; // what was left of its ids stays unused
    run = {serial_, 0, 0};
    return run;
}

std::pair<PairTable::Id, bool> PairTable::insert(std::uint64_t key)
{
    const std::uint64_t h = hash(key);
    const std::size_t shard = shard_of(h);
    std::atomic<Index*>& index = shared_->indexes[shard];
    if (const auto found = find_in(*index.load(std::memory_order_acquire), h, key))
        return {*found, false};
    const SpinLock lock(shared_->shards[shard].locked);
    // Only this lock's holder replaces the shard's index or fills its slots.
    if (const auto found = find_in(*index.load(std::memory_order_relaxed), h, key))
        return {*found, false};
    std::size_t id = 0;
    if (runs_) {
        IdRun& run = id_run();
        if (run.next == run.end) {
            const std::size_t first = shared_->size.fetch_add(id_run_length, std::memory_order_relaxed);
            if (first + id_run_length > max_keys)
                throw std::length_error("PairTable: more than 2^32 - 2 keys");
            run.next = first;
            run.end = first + id_run_length;
        }
        make_room(shard, run.next, key); // may throw: the id stays in the run
        id = run.next++;
    } else {
        // Make room for the id the key will likely get before taking it, so
        // that with one inserting thread nothing can fail once it is taken.
        const std::size_t next = shared_->size.load(std::memory_order_relaxed);
        if (next >= max_keys)
            throw std::length_error("PairTable: more than 2^32 - 2 keys");
        make_room(shard, next, key);
        id = shared_->size.fetch_add(1, std::memory_order_relaxed);
        if (id != next) {
            // Another thread took ids meanwhile: room for this one (which
            // stays unused if that fails).
            if (id >= max_keys)
                throw std::length_error("PairTable: more than 2^32 - 2 keys");
            make_room(shard, id, key);
        }
    }
    store_key(id, key);
    place(*index.load(std::memory_order_relaxed), h, static_cast<Id>(id));
    ++shared_->shards[shard].count;
    return {static_cast<Id>(id), true};
}

} // namespace bindcheck::checker
