// StateStore: exact (equal bytes share a number, different bytes never do)
// even when every hash collides, stable spans across growth, any length.

#include "checker/state_store.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace bindcheck::checker::test {
namespace {

using Bytes = std::vector<std::byte>;

Bytes bytes_of(const std::string& text)
{
    Bytes bytes(text.size());
    if (!text.empty())
        std::memcpy(bytes.data(), text.data(), text.size());
    return bytes;
}

bool equal(std::span<const std::byte> a, const Bytes& b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

/// The map's key for a byte string. (std::map<std::vector<std::byte>, ...>
/// would do, but GCC 12 at -O3 warns falsely inside its memcmp.)
std::string key_of(std::span<const std::byte> bytes)
{
    std::string key(bytes.size(), '\0');
    if (!bytes.empty())
        std::memcpy(key.data(), bytes.data(), bytes.size());
    return key;
}

/// Inserts every string (with repeats) into `store` and into a std::map, and
/// checks that both agree on numbering and contents throughout.
void check_against_map(StateStore& store, const std::vector<Bytes>& inputs)
{
    std::map<std::string, StateStore::Index> expected;
    std::vector<const Bytes*> by_index;
    for (const Bytes& input : inputs) {
        const auto [it, inserted] = expected.emplace(key_of(input), static_cast<StateStore::Index>(expected.size()));
        if (inserted)
            by_index.push_back(&input);
        const auto [index, is_new] = store.insert(input);
        REQUIRE(is_new == inserted);
        REQUIRE(index == it->second);
    }
    REQUIRE(store.size() == expected.size());
    for (StateStore::Index i = 0; i < by_index.size(); ++i)
        REQUIRE(equal(store.get(i), *by_index[i]));
    for (const Bytes& input : inputs) {
        const auto found = store.find(input);
        REQUIRE(found.has_value());
        REQUIRE(*found == expected.at(key_of(input)));
        REQUIRE(key_of(store.get(*found)) == key_of(input));
    }
}

/// Short strings over a two-letter alphabet: many duplicates, many strings
/// that differ in one byte or are prefixes of each other.
std::vector<Bytes> collision_prone_inputs(unsigned seed, std::size_t count)
{
    std::mt19937 random(seed);
    std::vector<Bytes> inputs;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t length = std::uniform_int_distribution<std::size_t>(0, 12)(random);
        Bytes bytes(length);
        for (auto& b : bytes)
            b = static_cast<std::byte>(std::uniform_int_distribution<int>(0, 1)(random));
        inputs.push_back(std::move(bytes));
    }
    return inputs;
}

TEST_CASE("state store: basics and the empty string")
{
    StateStore store;
    CHECK(store.size() == 0);
    CHECK_FALSE(store.find({}).has_value());

    CHECK(store.insert({}) == std::pair<StateStore::Index, bool>{0, true});
    CHECK(store.insert(bytes_of("a")) == std::pair<StateStore::Index, bool>{1, true});
    CHECK(store.insert({}) == std::pair<StateStore::Index, bool>{0, false});
    CHECK(store.insert(bytes_of("a")) == std::pair<StateStore::Index, bool>{1, false});
    CHECK(store.insert(bytes_of("ab")) == std::pair<StateStore::Index, bool>{2, true});
    CHECK(store.size() == 3);
    CHECK(store.get(0).empty());
    CHECK(equal(store.get(2), bytes_of("ab")));
    CHECK(store.find(bytes_of("a")) == std::optional<StateStore::Index>{1});
    CHECK_FALSE(store.find(bytes_of("b")).has_value());
    CHECK_THROWS_AS((void)store.get(3), std::out_of_range);
    CHECK(store.memory_bytes() > 0);
}

TEST_CASE("state store: prepared lookups agree with plain ones")
{
    StateStore store;
    const Bytes a = bytes_of("alpha");
    const Bytes b = bytes_of("beta");
    const PreparedBytes prepared_a = store.prepare(a);
    CHECK(equal(prepared_a.bytes(), a));
    CHECK_FALSE(store.find(prepared_a).has_value());
    CHECK(store.insert(prepared_a) == std::pair<StateStore::Index, bool>{0, true});
    CHECK(store.find(prepared_a) == std::optional<StateStore::Index>{0});
    CHECK(store.insert(a) == std::pair<StateStore::Index, bool>{0, false});
    // Prepared before the table grows, used after: still exact.
    const PreparedBytes prepared_b = store.prepare(b);
    for (std::uint32_t i = 0; i < 5000; ++i) {
        Bytes filler(4);
        std::memcpy(filler.data(), &i, sizeof i);
        store.insert(filler);
    }
    CHECK(store.insert(prepared_b) == std::pair<StateStore::Index, bool>{5001, true});
    CHECK(store.find(b) == std::optional<StateStore::Index>{5001});
}

TEST_CASE("state store: runs of zero bytes differ only in length")
{
    std::vector<Bytes> inputs;
    for (std::size_t length = 0; length <= 3000; ++length)
        inputs.emplace_back(length, std::byte{0});
    for (std::size_t length = 3000; length-- > 0;)
        inputs.emplace_back(length, std::byte{0});
    StateStore store;
    check_against_map(store, inputs);
    CHECK(store.size() == 3001);
}

TEST_CASE("state store: many collision-prone strings against a map")
{
    StateStore store;
    check_against_map(store, collision_prone_inputs(7, 200000));
    CHECK(store.size() > 4000); // of the 8191 strings of length 0..12
    CHECK(store.size() < 8192);
}

TEST_CASE("state store: exact even when every hash collides")
{
    // A constant hash puts everything in one probe chain with one tag, so
    // only the byte comparison tells strings apart.
    StateStore constant(+[](std::span<const std::byte>) noexcept -> std::uint64_t { return 42; });
    auto inputs = collision_prone_inputs(11, 6000);
    check_against_map(constant, inputs);

    // Equal tags but spread slots, and equal slots but different tags.
    StateStore by_length(+[](std::span<const std::byte> b) noexcept -> std::uint64_t { return b.size(); });
    check_against_map(by_length, inputs);
    StateStore tag_only(+[](std::span<const std::byte> b) noexcept -> std::uint64_t {
        return xxh3_hash(b) & 0xffffffff00000000ull;
    });
    check_against_map(tag_only, inputs);
}

TEST_CASE("state store: growth keeps earlier spans valid and contents intact")
{
    StateStore store;
    const Bytes first = bytes_of("the first state");
    store.insert(first);
    const std::span<const std::byte> first_span = store.get(0);
    const std::size_t memory_before = store.memory_bytes();

    // Several chunks' worth of distinct 24-byte strings.
    constexpr std::uint32_t count = 300000;
    Bytes buffer(24, std::byte{0x5a});
    for (std::uint32_t i = 0; i < count; ++i) {
        std::memcpy(buffer.data() + 8, &i, sizeof i);
        const auto [index, is_new] = store.insert(buffer);
        REQUIRE(is_new);
        REQUIRE(index == i + 1);
    }
    CHECK(store.size() == count + 1);
    CHECK(store.get(0).data() == first_span.data());
    CHECK(equal(first_span, first));
    CHECK(store.memory_bytes() > memory_before);
    CHECK(store.memory_bytes() >= std::size_t{count} * (24 + 1 + 8));

    for (std::uint32_t i = 0; i < count; i += 997) {
        std::memcpy(buffer.data() + 8, &i, sizeof i);
        REQUIRE(equal(store.get(i + 1), buffer));
        REQUIRE(store.insert(buffer) == std::pair<StateStore::Index, bool>{i + 1, false});
    }
}

TEST_CASE("state store: lengths across varint and chunk boundaries")
{
    constexpr std::size_t mib = std::size_t{1} << 20;
    std::vector<Bytes> inputs;
    for (std::size_t length : {std::size_t{0}, std::size_t{1}, std::size_t{127}, std::size_t{128},
                               std::size_t{16383}, std::size_t{16384}, mib - 3, mib - 2, mib, mib + 1,
                               3 * mib, std::size_t{5}}) {
        Bytes bytes(length);
        for (std::size_t i = 0; i < length; ++i)
            bytes[i] = static_cast<std::byte>((i * 131 + length) & 0xff);
        inputs.push_back(bytes);
        // Small strings between the big ones fill partly used chunks.
        inputs.push_back(bytes_of("small " + std::to_string(length)));
    }
    std::vector<Bytes> twice = inputs;
    twice.insert(twice.end(), inputs.begin(), inputs.end());
    StateStore store;
    check_against_map(store, twice);
    CHECK(store.size() == inputs.size());
    CHECK(store.memory_bytes() >= 6 * mib);
}

} // namespace
} // namespace bindcheck::checker::test
