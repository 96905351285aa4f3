#pragma once
// Hash compaction: the visited set keeps only a 64-bit fingerprint (XXH3) of
// each state, 8 bytes in a slot at most 4/5 full (10 to 15 bytes a state),
// whatever the state's length. Two states with equal fingerprints count as
// one, so the second is never explored: the search may miss states. With n
// states stored, the chance that any two of them share a fingerprint is at
// most n(n-1)/2 / 2^64 (the birthday bound), which omission_probability()
// reports; below 10^-6 up to about 6 million states.
//
// States cannot be read back: the search keeps the ones it has yet to
// expand. Their numbers are insertion order, as in every store.

#include "checker/visited_states.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

namespace bindcheck::checker {

class FingerprintStore final : public VisitedStates {
public:
    FingerprintStore();
    FingerprintStore(const FingerprintStore&) = delete;
    FingerprintStore& operator=(const FingerprintStore&) = delete;
    ~FingerprintStore() override;

    [[nodiscard]] bool keeps_states() const noexcept override { return false; }
    void read(Index index, StoredState& out) const override;
    [[nodiscard]] Lookup look_up(const EncodedState& state, const StoredState* base) const override;
    std::pair<Index, bool> insert(const EncodedState& state, const Lookup& lookup, const StoredState* base) override;
    using VisitedStates::insert;

    [[nodiscard]] std::size_t size() const noexcept override { return size_; }
    [[nodiscard]] std::size_t memory_bytes() const noexcept override { return allocated_bytes_; }
    [[nodiscard]] double omission_probability() const noexcept override;

    /// Test hook: fingerprints by `hash` instead of XXH3 (e.g. to force equal ones).
    using HashFunction = std::uint64_t (*)(std::span<const std::byte>) noexcept;
    void set_hash_for_testing(HashFunction hash) { custom_hash_ = hash; }

private:
    static constexpr unsigned shard_bits = 8;
    static constexpr std::size_t shard_count = std::size_t{1} << shard_bits;
    struct Shard {
        std::uint64_t* slots = nullptr; // 0 = empty; fingerprints are never 0
        std::uint32_t capacity = 0;
        std::uint32_t count = 0;
    };
    [[nodiscard]] std::uint64_t fingerprint(std::span<const std::byte> bytes) const noexcept;
    [[nodiscard]] bool contains(std::uint64_t fingerprint) const noexcept;
    void grow(Shard& shard);
    static void place(Shard& shard, std::uint64_t fingerprint) noexcept;

    std::array<Shard, shard_count> shards_{};
    std::size_t size_ = 0;
    std::size_t allocated_bytes_ = 0;
    HashFunction custom_hash_ = nullptr;
};

} // namespace bindcheck::checker
