#include "checker/pair_table.hpp"

#include <sys/mman.h>

#include <cstdlib>
#include <new>
#include <stdexcept>

namespace bindcheck::checker {

namespace detail {

namespace {
constexpr std::size_t mmap_threshold = std::size_t{64} << 10;
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
constexpr unsigned max_id_bits = 32;
} // namespace

PairTable::PairTable()
{
    for (Shard& shard : shards_)
        rebuild_shard(shard, initial_shard_capacity, 16);
}

PairTable::PairTable(PairTable&& other) noexcept
    : chunks_(std::move(other.chunks_)), shards_(other.shards_), size_(other.size_), allocated_bytes_(other.allocated_bytes_), custom_hash_(other.custom_hash_)
{
    other.shards_ = {};
    other.size_ = 0;
    other.allocated_bytes_ = 0;
}

PairTable& PairTable::operator=(PairTable&& other) noexcept
{
    if (this != &other) {
        release();
        chunks_ = std::move(other.chunks_);
        shards_ = other.shards_;
        size_ = other.size_;
        allocated_bytes_ = other.allocated_bytes_;
        custom_hash_ = other.custom_hash_;
        other.shards_ = {};
        other.size_ = 0;
        other.allocated_bytes_ = 0;
    }
    return *this;
}

PairTable::~PairTable() { release(); }

void PairTable::release() noexcept
{
    for (Shard& shard : shards_) {
        detail::release_zeroed(shard.slots, std::size_t{shard.capacity} * sizeof(std::uint32_t));
        shard = {};
    }
}

void PairTable::set_hash_for_testing(HashFunction hash)
{
    if (size_ != 0)
        throw std::logic_error("PairTable::set_hash_for_testing: table not empty");
    custom_hash_ = hash;
}

std::uint64_t PairTable::hash(std::uint64_t key) const noexcept
{
    return custom_hash_ != nullptr ? custom_hash_(key) : mix64(key);
}

namespace {

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

} // namespace

std::optional<PairTable::Id> PairTable::find(std::uint64_t key) const noexcept
{
    const std::uint64_t h = hash(key);
    const Shard& shard = shards_[shard_of(h)];
    const std::uint32_t ids = id_mask(shard.id_bits);
    const std::uint32_t tag = tag_bits(h, shard.id_bits);
    for (std::size_t slot = home(h, shard.capacity);; slot = slot + 1 == shard.capacity ? 0 : slot + 1) {
        const std::uint32_t value = shard.slots[slot];
        if (value == 0)
            return std::nullopt;
        if ((value & ~ids) == tag) {
            const Id id = (value & ids) - 1;
            if (this->key(id) == key)
                return id;
        }
    }
}

void PairTable::place(Shard& shard, std::uint64_t h, Id id) noexcept
{
    std::size_t slot = home(h, shard.capacity);
    while (shard.slots[slot] != 0)
        slot = slot + 1 == shard.capacity ? 0 : slot + 1;
    shard.slots[slot] = tag_bits(h, shard.id_bits) | (id + 1);
}

void PairTable::rebuild_shard(Shard& shard, std::uint32_t capacity, unsigned id_bits)
{
    // Build the new slots before the old ones go, so that a failed
    // allocation leaves the shard as it was.
    const std::size_t bytes = std::size_t{capacity} * sizeof(std::uint32_t);
    Shard rebuilt{static_cast<std::uint32_t*>(detail::allocate_zeroed(bytes)), capacity, shard.count, id_bits};
    if (shard.slots != nullptr) {
        const std::uint32_t ids = id_mask(shard.id_bits);
        for (std::uint32_t k = 0; k < shard.capacity; ++k) {
            const std::uint32_t value = shard.slots[k];
            if (value != 0) {
                const Id id = (value & ids) - 1;
                place(rebuilt, hash(key(id)), id);
            }
        }
    }
    detail::release_zeroed(shard.slots, std::size_t{shard.capacity} * sizeof(std::uint32_t));
    allocated_bytes_ -= std::size_t{shard.capacity} * sizeof(std::uint32_t);
    allocated_bytes_ += bytes;
    shard = rebuilt;
}

void PairTable::append_key(std::uint64_t key)
{
    if ((size_ & (chunk_keys - 1)) == 0 && (size_ >> chunk_shift) == chunks_.size()) {
        chunks_.push_back(std::make_unique_for_overwrite<std::uint64_t[]>(chunk_keys));
        allocated_bytes_ += chunk_keys * sizeof(std::uint64_t);
    }
    chunks_[size_ >> chunk_shift][size_ & (chunk_keys - 1)] = key;
}

std::pair<PairTable::Id, bool> PairTable::insert(std::uint64_t key)
{
    if (const auto found = find(key))
        return {*found, false};
    if (size_ >= (std::size_t{1} << 32) - 2)
        throw std::length_error("PairTable: more than 2^32 - 2 keys");
    const auto id = static_cast<Id>(size_);
    const std::uint64_t h = hash(key);
    Shard& shard = shards_[shard_of(h)];
    // id + 1 must fit in the shard's id bits; past that the shard is
    // rebuilt with wider ids (and narrower tags), once per doubling of ids.
    unsigned id_bits = shard.id_bits;
    while (id_bits < max_id_bits && std::uint64_t{id} + 1 > id_mask(id_bits))
        ++id_bits;
    std::uint64_t capacity = shard.capacity;
    if ((std::uint64_t{shard.count} + 1) * 5 > capacity * 4)
        capacity += capacity / 2;
    if (capacity > 0xffffffffULL)
        throw std::length_error("PairTable: shard too large");
    if (capacity != shard.capacity || id_bits != shard.id_bits)
        rebuild_shard(shard, static_cast<std::uint32_t>(capacity), id_bits);
    append_key(key);
    place(shard, h, id);
    ++shard.count;
    ++size_;
    return {id, true};
}

} // namespace bindcheck::checker
