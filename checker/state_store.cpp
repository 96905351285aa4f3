#include "checker/state_store.hpp"

#include <xxhash.h>

#include <sys/mman.h>

#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>

namespace bindcheck::checker {

namespace {

// Big enough that chunk bookkeeping is negligible, small enough that the
// last, partly used chunk does not matter next to the table.
constexpr std::size_t chunk_bytes = std::size_t{1} << 20;
constexpr std::size_t initial_slot_count = 1024; // a power of two

constexpr std::uint32_t tag_of(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32); }
constexpr std::uint64_t slot_value(std::uint32_t tag, StateStore::Index index)
{
    return (std::uint64_t{tag} << 32) | (std::uint64_t{index} + 1);
}
constexpr bool slot_empty(std::uint64_t slot) { return static_cast<std::uint32_t>(slot) == 0; }
constexpr StateStore::Index slot_index(std::uint64_t slot) { return static_cast<std::uint32_t>(slot) - 1; }
constexpr std::uint32_t slot_tag(std::uint64_t slot) { return static_cast<std::uint32_t>(slot >> 32); }

std::size_t varint_size(std::size_t value)
{
    std::size_t size = 1;
    while (value >= 0x80) {
        value >>= 7;
        ++size;
    }
    return size;
}

std::byte* write_varint(std::byte* out, std::size_t value)
{
    while (value >= 0x80) {
        *out++ = static_cast<std::byte>((value & 0x7f) | 0x80);
        value >>= 7;
    }
    *out++ = static_cast<std::byte>(value);
    return out;
}

std::span<const std::byte> read_record(const std::byte* record)
{
    std::size_t length = 0;
    unsigned shift = 0;
    for (;;) {
        const auto byte = std::to_integer<std::size_t>(*record++);
        length |= (byte & 0x7f) << shift;
        if (byte < 0x80)
            break;
        shift += 7;
    }
    return {record, length};
}

bool same_bytes(std::span<const std::byte> a, std::span<const std::byte> b)
{
    // memcmp on a null pointer is undefined even for length 0 (empty spans).
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

} // namespace

std::uint64_t xxh3_hash(std::span<const std::byte> bytes) noexcept
{
    return XXH3_64bits(bytes.data(), bytes.size());
}

namespace detail {

SlotTable::SlotTable(std::size_t count) : count_(count)
{
    void* pages = mmap(nullptr, bytes(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED)
        throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    // Only a hint: without transparent huge pages the table still works.
    if (bytes() >= (std::size_t{2} << 20))
        madvise(pages, bytes(), MADV_HUGEPAGE);
#endif
    data_ = static_cast<std::uint64_t*>(pages);
}

SlotTable::~SlotTable()
{
    if (data_ != nullptr)
        munmap(data_, bytes());
}

} // namespace detail

StateStore::StateStore(StateHashFunction hash) : hash_(hash), slots_(initial_slot_count) {}

PreparedBytes StateStore::prepare(std::span<const std::byte> bytes) const noexcept
{
    const std::uint64_t hash = hash_(bytes);
    __builtin_prefetch(slots_.data() + (hash & slots_.mask()));
    return {bytes, hash};
}

StateStore::Probe StateStore::probe(std::span<const std::byte> bytes, std::uint64_t hash) const
{
    const std::uint32_t tag = tag_of(hash);
    const std::size_t mask = slots_.mask();
    for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
        const std::uint64_t value = slots_[slot];
        if (slot_empty(value))
            return {slot, std::nullopt};
        if (slot_tag(value) == tag && same_bytes(read_record(records_[slot_index(value)]), bytes))
            return {slot, slot_index(value)};
    }
}

std::size_t StateStore::first_empty_slot(const detail::SlotTable& slots, std::uint64_t hash)
{
    std::size_t slot = hash & slots.mask();
    while (!slot_empty(slots[slot]))
        slot = (slot + 1) & slots.mask();
    return slot;
}

std::pair<StateStore::Index, bool> StateStore::insert(const PreparedBytes& prepared)
{
    const std::uint64_t hash = prepared.hash_;
    Probe found = probe(prepared.bytes_, hash);
    if (found.found)
        return {*found.found, false};

    // Slot value 0 means empty, so number + 1 must fit in 32 bits.
    if (records_.size() >= std::numeric_limits<Index>::max())
        throw std::length_error("StateStore: more than 2^32 - 1 states");
    const auto index = static_cast<Index>(records_.size());
    if ((records_.size() + 1) * 4 > slots_.size() * 3) {
        grow_table();
        found.slot = first_empty_slot(slots_, hash);
    }
    records_.push_back(append_record(prepared.bytes_));
    slots_[found.slot] = slot_value(tag_of(hash), index);
    return {index, true};
}

std::optional<StateStore::Index> StateStore::find(const PreparedBytes& prepared) const
{
    return probe(prepared.bytes_, prepared.hash_).found;
}

std::span<const std::byte> StateStore::get(Index index) const
{
    if (index >= records_.size())
        throw std::out_of_range("StateStore::get: no such state");
    return read_record(records_[index]);
}

std::size_t StateStore::memory_bytes() const noexcept
{
    return arena_allocated_ + chunks_.capacity() * sizeof(chunks_[0]) +
           records_.capacity() * sizeof(records_[0]) + slots_.bytes();
}

const std::byte* StateStore::append_record(std::span<const std::byte> bytes)
{
    const std::size_t need = varint_size(bytes.size()) + bytes.size();
    std::byte* record = nullptr;
    if (need <= chunk_left_) {
        record = chunk_cursor_;
        chunk_cursor_ += need;
        chunk_left_ -= need;
    } else {
        // A record never straddles chunks. One bigger than a chunk gets a
        // chunk of its own and the current chunk stays open for small ones.
        const std::size_t size = need > chunk_bytes ? need : chunk_bytes;
        chunks_.push_back(std::make_unique_for_overwrite<std::byte[]>(size));
        arena_allocated_ += size;
        record = chunks_.back().get();
        if (size == chunk_bytes) {
            chunk_cursor_ = record + need;
            chunk_left_ = chunk_bytes - need;
        }
    }
    std::byte* payload = write_varint(record, bytes.size());
    if (!bytes.empty())
        std::memcpy(payload, bytes.data(), bytes.size());
    return record;
}

void StateStore::grow_table()
{
    // Hashes are not kept, so recompute them; reading the arena in state
    // order is sequential, and the doubling makes it amortised O(1) a state.
    // The new table is filled before the old one goes, so a failed
    // allocation leaves the store as it was.
    detail::SlotTable bigger(slots_.size() * 2);
    for (std::size_t index = 0; index < records_.size(); ++index) {
        const std::uint64_t hash = hash_(read_record(records_[index]));
        bigger[first_empty_slot(bigger, hash)] = slot_value(tag_of(hash), static_cast<Index>(index));
    }
    slots_ = std::move(bigger);
}

} // namespace bindcheck::checker
