// The compact stores: PairTable (interning), TreeStore (exact tree
// compression) and FingerprintStore (hash compaction), against a std::map.
// Exact stores must number equal states alike and different states apart,
// even when every hash collides, read every state back byte for byte, and
// give the same numbers whether or not a base state is supplied.

#include "checker/exact_store.hpp"
#include "checker/fingerprint_store.hpp"
#include "checker/pair_table.hpp"
#include "checker/tree_store.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace bindcheck::checker::test {
namespace {

/// A state as tests build it: bytes and segment ends.
struct Sample {
    std::vector<std::byte> bytes;
    std::vector<std::uint32_t> ends;
    [[nodiscard]] EncodedState encoded() const { return {bytes, ends}; }
    [[nodiscard]] std::string key() const
    {
        std::string k(bytes.size(), '\0');
        if (!bytes.empty())
            std::memcpy(k.data(), bytes.data(), bytes.size());
        for (std::uint32_t e : ends)
            k += "|" + std::to_string(e);
        return k;
    }
};

/// Random states of `segments` segments, each 0 to max_segment bytes over a
/// small alphabet: many repeats, many near-misses, segments shared between
/// states, and lengths that are not multiples of the store's 4-byte words.
std::vector<Sample> random_samples(unsigned seed, std::size_t count, std::size_t segments, std::size_t max_segment)
{
    std::mt19937 random(seed);
    auto uniform = [&](std::size_t low, std::size_t high) {
        return std::uniform_int_distribution<std::size_t>(low, high)(random);
    };
    std::vector<Sample> samples;
    for (std::size_t i = 0; i < count; ++i) {
        Sample sample;
        // Half the time, derive from an earlier sample by changing one segment.
        const bool derive = !samples.empty() && uniform(0, 1) == 0;
        const Sample* from = derive ? &samples[uniform(0, samples.size() - 1)] : nullptr;
        const std::size_t changed = uniform(0, segments - 1);
        for (std::size_t s = 0; s < segments; ++s) {
            if (from != nullptr && s != changed) {
                const std::size_t begin = s == 0 ? 0 : from->ends[s - 1];
                sample.bytes.insert(sample.bytes.end(), from->bytes.begin() + static_cast<std::ptrdiff_t>(begin),
                                    from->bytes.begin() + static_cast<std::ptrdiff_t>(from->ends[s]));
            } else {
                const std::size_t length = uniform(0, max_segment);
                for (std::size_t b = 0; b < length; ++b)
                    sample.bytes.push_back(static_cast<std::byte>(uniform(0, 2)));
            }
            sample.ends.push_back(static_cast<std::uint32_t>(sample.bytes.size()));
        }
        samples.push_back(std::move(sample));
    }
    return samples;
}

/// Inserts every sample into `store` (with `base` = a random earlier state
/// read back, if use_base) and checks numbering and read-back against a map.
void check_exact_store(VisitedStates& store, const std::vector<Sample>& samples, bool use_base, unsigned seed = 1)
{
    std::mt19937 random(seed);
    std::map<std::string, VisitedStates::Index> expected;
    std::vector<const Sample*> by_index;
    StoredState base;
    for (const Sample& sample : samples) {
        const StoredState* base_pointer = nullptr;
        if (use_base && store.size() > 0) {
            store.read(static_cast<VisitedStates::Index>(random() % store.size()), base);
            base_pointer = &base;
        }
        const std::size_t size_before = store.size();
        const auto lookup = store.look_up(sample.encoded(), base_pointer);
        REQUIRE(store.size() == size_before); // look_up only reads
        const auto [it, inserted] = expected.emplace(sample.key(), static_cast<VisitedStates::Index>(expected.size()));
        if (inserted)
            by_index.push_back(&sample);
        REQUIRE(lookup.found.has_value() == !inserted);
        if (lookup.found)
            REQUIRE(*lookup.found == it->second);
        const auto [index, is_new] = store.insert(sample.encoded(), lookup, base_pointer);
        REQUIRE(is_new == inserted);
        REQUIRE(index == it->second);
    }
    REQUIRE(store.size() == expected.size());
    StoredState read;
    for (VisitedStates::Index i = 0; i < by_index.size(); ++i) {
        store.read(i, read);
        CHECK(read.bytes == by_index[i]->bytes);
        CHECK(read.segment_ends == by_index[i]->ends);
    }
    // A fresh lookup of every sample, without a base, finds its number.
    for (const Sample& sample : samples) {
        const auto lookup = store.look_up(sample.encoded(), nullptr);
        REQUIRE(lookup.found.has_value());
        CHECK(*lookup.found == expected.at(sample.key()));
    }
}

std::uint64_t constant_hash(std::uint64_t) noexcept { return 0x0123456789abcdefULL; }
std::uint64_t few_hashes(std::uint64_t key) noexcept { return mix64(key % 7); }

TEST_CASE("pair table: dense ids in insertion order, keys read back")
{
    PairTable table;
    CHECK(table.size() == 0);
    CHECK_FALSE(table.find(42).has_value());
    std::mt19937_64 random(7);
    std::map<std::uint64_t, PairTable::Id> expected;
    // Past 2^16 and 2^17 ids, so that shards widen their ids and grow.
    for (int i = 0; i < 200000; ++i) {
        const std::uint64_t key = random() % 150000 * 0x100000001ULL;
        const auto [it, inserted] = expected.emplace(key, static_cast<PairTable::Id>(expected.size()));
        const auto [id, is_new] = table.insert(key);
        REQUIRE(is_new == inserted);
        REQUIRE(id == it->second);
    }
    REQUIRE(table.size() == expected.size());
    for (const auto& [key, id] : expected) {
        REQUIRE(table.find(key) == id);
        REQUIRE(table.key(id) == key);
    }
    CHECK_FALSE(table.find(3).has_value());
    CHECK(table.memory_bytes() >= expected.size() * 12); // 8-byte key + index slots at most 4/5 full
}

TEST_CASE("pair table: packed keys read back exactly as their halves widen, across chunks")
{
    // Halves grow from 1 to 32 bits, mixed with small pairs, so that chunks
    // start narrow, are copied wider (also with keys of both widths in one
    // word), and later chunks start wide; 100,000 keys span 4 chunks.
    PairTable packed(PairTable::Ids::Dense, PairTable::Keys::Packed);
    PairTable whole;
    std::mt19937_64 random(11);
    std::vector<std::uint64_t> keys;
    std::map<std::uint64_t, PairTable::Id> expected;
    for (int i = 0; i < 100000; ++i) {
        const unsigned bits = 1 + static_cast<unsigned>(i / 3200); // 1..32
        const std::uint64_t limit = bits >= 32 ? 0xffffffffULL : (std::uint64_t{1} << bits) - 1;
        std::uint64_t left = random() & limit;
        std::uint64_t right = random() & limit;
        if (i % 5 == 0)
            left = right = static_cast<std::uint64_t>(i % 3); // a small pair among wide ones
        const std::uint64_t key = (left << 32) | right;
        const auto [it, inserted] = expected.emplace(key, static_cast<PairTable::Id>(expected.size()));
        REQUIRE(packed.insert(key) == std::pair<PairTable::Id, bool>{it->second, inserted});
        whole.insert(key);
        if (inserted)
            keys.push_back(key);
        if (i % 997 == 0) // reading back between copies of the current chunk
            REQUIRE(packed.key(it->second) == key);
    }
    for (std::size_t id = 0; id < keys.size(); ++id) {
        REQUIRE(packed.key(static_cast<PairTable::Id>(id)) == keys[id]);
        REQUIRE(packed.find(keys[id]) == static_cast<PairTable::Id>(id));
    }
    CHECK_FALSE(packed.find(0xffffffffffffffffULL - 1).has_value());
    const std::size_t before = packed.memory_bytes();
    packed.reclaim();
    CHECK(packed.memory_bytes() < before); // the chunks' narrower copies were kept until now
    CHECK_THROWS_AS(PairTable(PairTable::Ids::InRuns, PairTable::Keys::Packed), std::invalid_argument);
}

TEST_CASE("pair table: packed keys of small halves take a fraction of whole ones")
{
    PairTable packed(PairTable::Ids::Dense, PairTable::Keys::Packed);
    PairTable whole;
    for (std::uint64_t n = 0; n < 131072; ++n) { // 4 whole chunks; halves below 2^17
        const std::uint64_t key = (n << 32) | (n * 7 % 131072);
        REQUIRE(packed.insert(key).first == n);
        REQUIRE(whole.insert(key).first == n);
    }
    packed.reclaim();
    whole.reclaim();
    // Keys: 34 bits against 64; the indexes are the same.
    CHECK(whole.memory_bytes() - packed.memory_bytes() >= 131072 * 3);
    for (std::uint64_t n = 0; n < 131072; n += 4099)
        CHECK(packed.key(static_cast<PairTable::Id>(n)) == ((n << 32) | (n * 7 % 131072)));
}

TEST_CASE("pair table: exact when every hash collides")
{
    for (PairTable::HashFunction hash : {&constant_hash, &few_hashes}) {
        PairTable table;
        table.set_hash_for_testing(hash);
        for (std::uint64_t key = 0; key < 2000; ++key)
            REQUIRE(table.insert(key * 3) == std::pair<PairTable::Id, bool>{static_cast<PairTable::Id>(key), true});
        for (std::uint64_t key = 0; key < 6000; ++key) {
            const auto found = table.find(key);
            REQUIRE(found.has_value() == (key % 3 == 0));
            if (found)
                REQUIRE(*found == key / 3);
        }
        CHECK_THROWS_AS(table.set_hash_for_testing(hash), std::logic_error);
    }
}

TEST_CASE("tree store: agrees with a map, one segment and many, with and without a base")
{
    for (std::size_t segments : {1U, 2U, 3U, 7U, 16U}) {
        for (bool use_base : {false, true}) {
            CAPTURE(segments);
            CAPTURE(use_base);
            TreeStore store;
            check_exact_store(store, random_samples(segments * 10 + 1, 3000, segments, 13), use_base);
        }
    }
}

TEST_CASE("tree store: empty states, empty segments and lengths around word boundaries")
{
    TreeStore one;
    check_exact_store(one, random_samples(5, 500, 1, 9), true);
    std::vector<Sample> samples;
    for (std::size_t length = 0; length <= 9; ++length) {
        Sample sample;
        sample.bytes.assign(length, std::byte{0}); // zero bytes: padding must not hide the length
        sample.ends.push_back(static_cast<std::uint32_t>(length));
        samples.push_back(sample);
    }
    TreeStore zeros;
    check_exact_store(zeros, samples, false);
    CHECK(zeros.size() == 10);
}

TEST_CASE("tree store: a state without segment ends is one segment")
{
    TreeStore store;
    const std::vector<std::byte> bytes{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}, std::byte{5}};
    CHECK(store.insert({bytes, {}}) == std::pair<VisitedStates::Index, bool>{0, true});
    const std::vector<std::uint32_t> ends{5};
    CHECK(store.insert({bytes, ends}) == std::pair<VisitedStates::Index, bool>{0, false});
    StoredState read;
    store.read(0, read);
    CHECK(read.bytes == bytes);
}

TEST_CASE("tree store: exact when every hash collides, and when states grow many")
{
    TreeStore colliding;
    colliding.set_hash_for_testing(&few_hashes);
    check_exact_store(colliding, random_samples(99, 600, 4, 6), true);

    // Many states that share most segments: stored in far fewer inner pairs
    // than a state has bytes.
    TreeStore big;
    const auto samples = random_samples(3, 120000, 8, 12);
    check_exact_store(big, samples, true);
    CHECK(big.node_count() < big.size() * 8);
}

TEST_CASE("tree store: refuses states with a different number of segments")
{
    TreeStore store;
    const std::vector<std::byte> bytes(8, std::byte{1});
    const std::vector<std::uint32_t> two{4, 8};
    const std::vector<std::uint32_t> three{2, 4, 8};
    const std::vector<std::uint32_t> short_end{2, 7};
    store.insert({bytes, two});
    CHECK_THROWS_AS(store.insert({bytes, three}), std::invalid_argument);
    CHECK_THROWS_AS(store.insert({bytes, short_end}), std::invalid_argument);
    CHECK_FALSE(store.look_up({bytes, three}, nullptr).found.has_value());
    CHECK(store.size() == 1);
}

TEST_CASE("exact store adapter: agrees with a map")
{
    ExactStore store;
    auto samples = random_samples(11, 2000, 1, 20);
    for (Sample& s : samples)
        s.ends.assign(1, static_cast<std::uint32_t>(s.bytes.size()));
    check_exact_store(store, samples, true);
}

std::uint64_t first_byte_fingerprint(std::span<const std::byte> bytes) noexcept
{
    return bytes.empty() ? 7 : std::to_integer<std::uint64_t>(bytes[0]) + 100;
}

TEST_CASE("fingerprint store: numbers new fingerprints in order; equal fingerprints are one state")
{
    FingerprintStore store;
    CHECK_FALSE(store.keeps_states());
    const auto samples = random_samples(21, 5000, 3, 10);
    std::map<std::string, VisitedStates::Index> expected;
    for (const Sample& sample : samples) {
        // A fingerprint is of the bytes alone.
        const std::string key(reinterpret_cast<const char*>(sample.bytes.data()), sample.bytes.size());
        const auto [it, inserted] = expected.emplace(key, static_cast<VisitedStates::Index>(expected.size()));
        const auto [index, is_new] = store.insert(sample.encoded());
        // With 64-bit XXH3 fingerprints no two of these few samples collide.
        REQUIRE(is_new == inserted);
        if (is_new)
            REQUIRE(index == it->second);
    }
    CHECK(store.size() == expected.size());
    StoredState unused;
    CHECK_THROWS_AS(store.read(0, unused), std::logic_error);
    const double n = static_cast<double>(store.size());
    CHECK(store.omission_probability() == doctest::Approx(n * (n - 1) / 2 / 18446744073709551616.0));

    // Forced collisions: states with the same first byte count as one.
    FingerprintStore coarse;
    coarse.set_hash_for_testing(&first_byte_fingerprint);
    const std::vector<std::byte> a{std::byte{1}, std::byte{2}};
    const std::vector<std::byte> b{std::byte{1}, std::byte{3}};
    const std::vector<std::byte> c{std::byte{2}};
    CHECK(coarse.insert({a, {}}).second);
    CHECK_FALSE(coarse.insert({b, {}}).second); // missed: the price of hash compaction
    CHECK(coarse.insert({c, {}}) == std::pair<VisitedStates::Index, bool>{1, true});
    CHECK(coarse.size() == 2);
}

} // namespace
} // namespace bindcheck::checker::test
