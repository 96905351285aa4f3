#include "checker/fingerprint_store.hpp"

#include "checker/pair_table.hpp"
#include "checker/state_store.hpp"

#include <limits>
#include <stdexcept>

namespace bindcheck::checker {

namespace {
constexpr std::uint32_t initial_shard_capacity = 16;

std::size_t home(std::uint64_t fingerprint, std::uint32_t capacity)
{
    return static_cast<std::size_t>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(fingerprint)) * capacity) >> 32);
}
} // namespace

FingerprintStore::FingerprintStore()
{
    for (Shard& shard : shards_) {
        shard.slots = static_cast<std::uint64_t*>(detail::allocate_zeroed(initial_shard_capacity * sizeof(std::uint64_t)));
        shard.capacity = initial_shard_capacity;
        allocated_bytes_ += initial_shard_capacity * sizeof(std::uint64_t);
    }
}

FingerprintStore::~FingerprintStore()
{
    for (Shard& shard : shards_)
        detail::release_zeroed(shard.slots, std::size_t{shard.capacity} * sizeof(std::uint64_t));
}

std::uint64_t FingerprintStore::fingerprint(std::span<const std::byte> bytes) const noexcept
{
    const std::uint64_t hash = custom_hash_ != nullptr ? custom_hash_(bytes) : xxh3_hash(bytes);
    return hash == 0 ? 1 : hash; // 0 marks an empty slot
}

bool FingerprintStore::contains(std::uint64_t fp) const noexcept
{
    const Shard& shard = shards_[fp >> (64 - shard_bits)];
    for (std::size_t slot = home(fp, shard.capacity);; slot = slot + 1 == shard.capacity ? 0 : slot + 1) {
        const std::uint64_t value = shard.slots[slot];
        if (value == 0)
            return false;
        if (value == fp)
            return true;
    }
}

void FingerprintStore::place(Shard& shard, std::uint64_t fp) noexcept
{
    std::size_t slot = home(fp, shard.capacity);
    while (shard.slots[slot] != 0)
        slot = slot + 1 == shard.capacity ? 0 : slot + 1;
    shard.slots[slot] = fp;
}

void FingerprintStore::grow(Shard& shard)
{
    const std::uint64_t capacity = std::uint64_t{shard.capacity} + shard.capacity / 2;
    if (capacity > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("FingerprintStore: shard too large");
    Shard bigger{static_cast<std::uint64_t*>(detail::allocate_zeroed(capacity * sizeof(std::uint64_t))),
                 static_cast<std::uint32_t>(capacity), shard.count};
    for (std::uint32_t k = 0; k < shard.capacity; ++k) {
        if (shard.slots[k] != 0)
            place(bigger, shard.slots[k]);
    }
    detail::release_zeroed(shard.slots, std::size_t{shard.capacity} * sizeof(std::uint64_t));
    allocated_bytes_ += (capacity - shard.capacity) * sizeof(std::uint64_t);
    shard = bigger;
}

void FingerprintStore::read(Index, StoredState&) const
{
    throw std::logic_error("FingerprintStore::read: hash compaction keeps no states");
}

VisitedStates::Lookup FingerprintStore::look_up(const EncodedState& state, const StoredState*) const
{
    Lookup lookup;
    lookup.key = fingerprint(state.bytes);
    lookup.key_complete = true;
    // The number of a stored state is not kept (nothing needs it): report
    // "stored" with number 0, which insert() passes on.
    if (contains(lookup.key))
        lookup.found = 0;
    return lookup;
}

std::pair<VisitedStates::Index, bool> FingerprintStore::insert(const EncodedState& state, const Lookup& lookup,
                                                               const StoredState*)
{
    if (lookup.found)
        return {*lookup.found, false};
    const std::uint64_t fp = lookup.key_complete ? lookup.key : fingerprint(state.bytes);
    if (contains(fp))
        return {0, false};
    if (size_ >= std::numeric_limits<Index>::max())
        throw std::length_error("FingerprintStore: more than 2^32 - 1 states");
    Shard& shard = shards_[fp >> (64 - shard_bits)];
    if ((std::uint64_t{shard.count} + 1) * 5 > std::uint64_t{shard.capacity} * 4)
        grow(shard);
    place(shard, fp);
    ++shard.count;
    return {static_cast<Index>(size_++), true};
}

double FingerprintStore::omission_probability() const noexcept
{
    const double n = static_cast<double>(size_);
    return n * (n - 1) / 2 / 18446744073709551616.0; // 2^64
}

} // namespace bindcheck::checker
