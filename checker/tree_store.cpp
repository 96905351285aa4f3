#include "checker/tree_store.hpp"

#include "checker/state_store.hpp"

#include <array>
#include <atomic>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace bindcheck::checker {

namespace {

constexpr std::uint64_t pair_key(std::uint32_t left, std::uint32_t right)
{
    return (std::uint64_t{left} << 32) | right;
}
constexpr std::uint32_t left_of(std::uint64_t key) { return static_cast<std::uint32_t>(key >> 32); }
constexpr std::uint32_t right_of(std::uint64_t key) { return static_cast<std::uint32_t>(key); }

std::size_t segment_begin(const EncodedState& state, std::size_t segment)
{
    return segment == 0 ? 0 : state.segment_ends[segment - 1];
}
std::size_t segment_end(const EncodedState& state, std::size_t segment)
{
    return state.segment_ends.empty() ? state.bytes.size() : state.segment_ends[segment];
}

/// Word `index` of the bytes [begin, end), little-endian, zero-padded.
std::uint32_t word_at(const EncodedState& state, std::size_t begin, std::size_t end, std::size_t index)
{
    const std::size_t at = begin + 4 * index;
    const std::size_t available = end - at < 4 ? end - at : 4;
    unsigned char bytes[4] = {0, 0, 0, 0};
    std::memcpy(bytes, state.bytes.data() + at, available);
    return std::uint32_t{bytes[0]} | (std::uint32_t{bytes[1]} << 8) | (std::uint32_t{bytes[2]} << 16) |
           (std::uint32_t{bytes[3]} << 24);
}

std::size_t words_for(std::size_t bytes) { return (bytes + 3) / 4; }

bool same_segment(const EncodedState& state, const StoredState& base, std::size_t segment)
{
    const std::size_t begin = segment_begin(state, segment);
    const std::size_t end = segment_end(state, segment);
    const std::size_t base_begin = segment == 0 ? 0 : base.segment_ends[segment - 1];
    const std::size_t base_end = base.segment_ends[segment];
    return end - begin == base_end - base_begin &&
           (end == begin || std::memcmp(state.bytes.data() + begin, base.bytes.data() + base_begin, end - begin) == 0);
}

// Most successors repeat segments seen moments ago (a thread's stack, a
// device's list), so each thread remembers recent segments and their node
// numbers: one hash and one comparison instead of a walk through the word
// pairs. Entries only name nodes already stored, whose numbers never change,
// so a hit is exact; the cache is per thread because look_up runs on
// several at once.
struct SegmentCacheEntry {
    std::uint64_t owner = 0; // TreeStore::cache_owner_; 0 = empty
    std::uint32_t id = 0;
    std::uint32_t length = 0;
    std::byte bytes[48];
};
constexpr std::size_t segment_cache_entries = 2048; // a power of two; 128 KiB a thread

SegmentCacheEntry& cache_entry(std::span<const std::byte> bytes)
{
    thread_local std::unique_ptr<std::array<SegmentCacheEntry, segment_cache_entries>> cache;
    if (!cache)
        cache = std::make_unique<std::array<SegmentCacheEntry, segment_cache_entries>>();
    return (*cache)[xxh3_hash(bytes) & (segment_cache_entries - 1)];
}

} // namespace

std::uint64_t TreeStore::next_cache_owner()
{
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

template <bool Insert>
bool TreeStore::segment_id(const EncodedState& state, std::size_t segment, std::uint32_t& id)
{
    const std::size_t begin = segment_begin(state, segment);
    const std::size_t length = segment_end(state, segment) - begin;
    if (length > sizeof(SegmentCacheEntry::bytes)) {
        std::uint64_t key = 0;
        return segment_key<Insert>(state, segment, key) && intern<Insert>(key, id);
    }
    const auto bytes = state.bytes.subspan(begin, length);
    SegmentCacheEntry& entry = cache_entry(bytes);
    if (entry.owner == cache_owner_ && entry.length == length &&
        (length == 0 || std::memcmp(entry.bytes, bytes.data(), length) == 0)) {
        id = entry.id;
        return true;
    }
    std::uint64_t key = 0;
    if (!segment_key<Insert>(state, segment, key) || !intern<Insert>(key, id))
        return false;
    entry.owner = cache_owner_;
    entry.id = id;
    entry.length = static_cast<std::uint32_t>(length);
    if (length > 0)
        std::memcpy(entry.bytes, bytes.data(), length);
    return true;
}

std::size_t TreeStore::segment_count_of(const EncodedState& state) const
{
    if (state.segment_ends.empty())
        return 1;
    if (state.segment_ends.back() != state.bytes.size())
        throw std::invalid_argument("TreeStore: the last segment must end where the bytes end");
    for (std::size_t k = 1; k < state.segment_ends.size(); ++k) {
        if (state.segment_ends[k] < state.segment_ends[k - 1])
            throw std::invalid_argument("TreeStore: segment ends must not decrease");
    }
    return state.segment_ends.size();
}

void TreeStore::set_shape(std::size_t segment_count)
{
    segment_count_ = segment_count;
    ranges_.clear();
    add_range(0, static_cast<std::uint32_t>(segment_count));
}

std::int32_t TreeStore::add_range(std::uint32_t first, std::uint32_t last)
{
    const auto index = static_cast<std::int32_t>(ranges_.size());
    ranges_.push_back({first, last, -1, -1});
    if (last - first >= 2) {
        const std::uint32_t middle = first + (last - first + 1) / 2;
        const std::int32_t left = add_range(first, middle);
        const std::int32_t right = add_range(middle, last);
        ranges_[static_cast<std::size_t>(index)].left = left;
        ranges_[static_cast<std::size_t>(index)].right = right;
    }
    return index;
}

template <bool Insert>
bool TreeStore::intern(std::uint64_t key, std::uint32_t& id)
{
    if constexpr (Insert) {
        id = nodes_.insert(key).first;
        return true;
    } else {
        const auto found = nodes_.find(key);
        if (!found)
            return false;
        id = *found;
        return true;
    }
}

template <bool Insert>
bool TreeStore::intern_words(const EncodedState& state, std::size_t begin, std::size_t end, std::size_t first_word,
                             std::size_t word_count, std::uint32_t& id)
{
    if (word_count == 1) {
        id = word_at(state, begin, end, first_word);
        return true;
    }
    const std::size_t left_count = (word_count + 1) / 2;
    std::uint32_t left = 0;
    std::uint32_t right = 0;
    return intern_words<Insert>(state, begin, end, first_word, left_count, left) &&
           intern_words<Insert>(state, begin, end, first_word + left_count, word_count - left_count, right) &&
           intern<Insert>(pair_key(left, right), id);
}

template <bool Insert>
bool TreeStore::segment_key(const EncodedState& state, std::size_t segment, std::uint64_t& key)
{
    const std::size_t begin = segment_begin(state, segment);
    const std::size_t end = segment_end(state, segment);
    const std::size_t length = end - begin;
    if (length > 0xffffffffULL)
        throw std::length_error("TreeStore: a segment longer than 4 GiB");
    std::uint32_t words = 0;
    if (length > 0 && !intern_words<Insert>(state, begin, end, 0, words_for(length), words))
        return false;
    key = pair_key(static_cast<std::uint32_t>(length), words);
    return true;
}

template <bool Insert>
bool TreeStore::range_id(std::int32_t range, const EncodedState& state, const StoredState* base,
                         const std::vector<bool>& changed, std::uint32_t& id, std::vector<std::uint32_t>* nodes)
{
    const Range& r = ranges_[static_cast<std::size_t>(range)];
    bool any_changed = base == nullptr;
    for (std::uint32_t s = r.first; s < r.last && !any_changed; ++s)
        any_changed = changed[s];
    if (!any_changed) {
        id = r.left < 0 ? base->nodes[r.first] : base->nodes[segment_count_ + static_cast<std::size_t>(range)];
    } else if (r.left < 0) {
        if (!segment_id<Insert>(state, r.first, id))
            return false;
    } else {
        std::uint32_t left = 0;
        std::uint32_t right = 0;
        if (!range_id<Insert>(r.left, state, base, changed, left, nodes) ||
            !range_id<Insert>(r.right, state, base, changed, right, nodes) ||
            !intern<Insert>(pair_key(left, right), id))
            return false;
    }
    if (nodes != nullptr)
        (*nodes)[r.left < 0 ? r.first : segment_count_ + static_cast<std::size_t>(range)] = id;
    return true;
}

template <bool Insert>
bool TreeStore::top_key(const EncodedState& state, const StoredState* base, std::uint64_t& key,
                        std::vector<std::uint32_t>* nodes)
{
    if (segment_count_ == 1)
        return segment_key<Insert>(state, 0, key);
    // A base from another shape (or none) shares nothing.
    if (base != nullptr && (base->segment_ends.size() != segment_count_ || base->nodes.size() != segment_count_ + ranges_.size()))
        base = nullptr;
    thread_local std::vector<bool> changed;
    changed.assign(segment_count_, true);
    if (base != nullptr) {
        for (std::size_t s = 0; s < segment_count_; ++s)
            changed[s] = !same_segment(state, *base, s);
    }
    const Range& top = ranges_[0];
    std::uint32_t left = 0;
    std::uint32_t right = 0;
    if (!range_id<Insert>(top.left, state, base, changed, left, nodes) ||
        !range_id<Insert>(top.right, state, base, changed, right, nodes))
        return false;
    key = pair_key(left, right);
    return true;
}

VisitedStates::Lookup TreeStore::look_up(const EncodedState& state, const StoredState* base) const
{
    Lookup lookup;
    if (segment_count_ == 0 || segment_count_of(state) != segment_count_)
        return lookup; // nothing stored yet, or a shape insert() will refuse
    // Only reads: Insert = false never calls a mutating member.
    auto& self = const_cast<TreeStore&>(*this);
    std::uint64_t key = 0;
    if (!self.top_key<false>(state, base, key, nullptr))
        return lookup;
    lookup.key = key;
    lookup.key_complete = true;
    lookup.found = roots_.find(key);
    return lookup;
}

VisitedStates::Lookup TreeStore::prepare(const EncodedState& state, const StoredState* base)
{
    Lookup lookup;
    if (segment_count_ == 0 || segment_count_of(state) != segment_count_)
        return lookup; // nothing stored yet, or a shape insert() will refuse
    std::uint64_t key = 0;
    top_key<true>(state, base, key, nullptr);
    lookup.key = key;
    lookup.key_complete = true;
    lookup.found = roots_.find(key);
    return lookup;
}

std::pair<VisitedStates::Index, bool> TreeStore::insert(const EncodedState& state, const Lookup& lookup,
                                                        const StoredState* base)
{
    // A complete key comes from a state whose shape was checked.
    if (!lookup.key_complete) {
        const std::size_t count = segment_count_of(state);
        if (segment_count_ == 0)
            set_shape(count);
        else if (count != segment_count_)
            throw std::invalid_argument("TreeStore: every state must have the same number of segments");
    }
    if (lookup.found)
        return {*lookup.found, false};
    std::uint64_t key = lookup.key;
    if (!lookup.key_complete)
        top_key<true>(state, base, key, nullptr);
    const auto [index, is_new] = roots_.insert(key);
    return {index, is_new};
}

void TreeStore::read_words(std::uint32_t id, std::size_t words, std::vector<std::byte>& out) const
{
    if (words == 1) {
        const std::byte bytes[4] = {static_cast<std::byte>(id), static_cast<std::byte>(id >> 8),
                                    static_cast<std::byte>(id >> 16), static_cast<std::byte>(id >> 24)};
        out.insert(out.end(), bytes, bytes + 4);
        return;
    }
    const std::uint64_t key = nodes_.key(id);
    const std::size_t left_count = (words + 1) / 2;
    read_words(left_of(key), left_count, out);
    read_words(right_of(key), words - left_count, out);
}

void TreeStore::read_segment(std::uint64_t key, std::vector<std::byte>& out) const
{
    const std::size_t length = left_of(key);
    if (length == 0)
        return;
    const std::size_t start = out.size();
    read_words(right_of(key), words_for(length), out);
    out.resize(start + length); // drop the last word's padding
}

void TreeStore::read_range(std::int32_t range, std::uint64_t key, StoredState& out) const
{
    const Range& r = ranges_[static_cast<std::size_t>(range)];
    const std::uint32_t children[2] = {left_of(key), right_of(key)};
    const std::int32_t child_ranges[2] = {r.left, r.right};
    for (int side = 0; side < 2; ++side) {
        const Range& child = ranges_[static_cast<std::size_t>(child_ranges[side])];
        const std::uint32_t id = children[side];
        if (child.left < 0) {
            out.nodes[child.first] = id;
            read_segment(nodes_.key(id), out.bytes);
            out.segment_ends.push_back(static_cast<std::uint32_t>(out.bytes.size()));
        } else {
            out.nodes[segment_count_ + static_cast<std::size_t>(child_ranges[side])] = id;
            read_range(child_ranges[side], nodes_.key(id), out);
        }
    }
}

void TreeStore::read(Index index, StoredState& out) const
{
    if (index >= roots_.size())
        throw std::out_of_range("TreeStore::read: no such state");
    out.bytes.clear();
    out.segment_ends.clear();
    const std::uint64_t key = roots_.key(index);
    if (segment_count_ == 1) {
        out.nodes.clear();
        read_segment(key, out.bytes);
        out.segment_ends.push_back(static_cast<std::uint32_t>(out.bytes.size()));
        return;
    }
    out.nodes.assign(segment_count_ + ranges_.size(), 0);
    read_range(0, key, out);
}

} // namespace bindcheck::checker
