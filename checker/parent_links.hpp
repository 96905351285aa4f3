#pragma once
// The BFS tree in 5 bytes a state: the number of the state each state was
// first reached from (4 bytes) and which of that state's successors it was,
// counted in the model's enumeration order (1 byte; the rare ordinal of 255
// or more goes to a side table). Step codes are not stored: a path is
// rebuilt by replaying the ordinals from the initial state (bfs.hpp), which
// only ever happens for the few paths a search returns. Chunked, so that
// growing never copies.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace bindcheck::checker {

class ParentLinks {
public:
    using Index = std::uint32_t;

    /// Makes room for one more link; then add() cannot fail.
    void reserve_one()
    {
        if ((size_ & (chunk_links - 1)) == 0 && (size_ >> chunk_shift) == parents_.size()) {
            parents_.push_back(std::make_unique_for_overwrite<Index[]>(chunk_links));
            ordinals_.push_back(std::make_unique_for_overwrite<std::uint8_t[]>(chunk_links));
        }
    }
    /// Adds the next state; the root (state 0) is its own parent.
    void add(Index parent, std::uint32_t ordinal)
    {
        reserve_one();
        parents_[size_ >> chunk_shift][size_ & (chunk_links - 1)] = parent;
        ordinals_[size_ >> chunk_shift][size_ & (chunk_links - 1)] =
            static_cast<std::uint8_t>(ordinal < escape ? ordinal : escape);
        if (ordinal >= escape)
            large_ordinals_[static_cast<Index>(size_)] = ordinal;
        ++size_;
    }

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] Index parent(Index state) const { return parents_[state >> chunk_shift][state & (chunk_links - 1)]; }
    [[nodiscard]] std::uint32_t ordinal(Index state) const
    {
        const std::uint8_t small = ordinals_[state >> chunk_shift][state & (chunk_links - 1)];
        return small < escape ? small : large_ordinals_.at(state);
    }

    /// The ordinals from the root (state 0) down to `state`.
    [[nodiscard]] std::vector<std::uint32_t> ordinals_to(Index state) const
    {
        std::vector<std::uint32_t> ordinals;
        for (; state != 0; state = parent(state))
            ordinals.push_back(ordinal(state));
        return {ordinals.rbegin(), ordinals.rend()};
    }

    [[nodiscard]] std::size_t memory_bytes() const noexcept
    {
        return parents_.size() * chunk_links * (sizeof(Index) + 1) + large_ordinals_.size() * 32;
    }

private:
    static constexpr unsigned chunk_shift = 16;
    static constexpr std::size_t chunk_links = std::size_t{1} << chunk_shift;
    static constexpr std::uint32_t escape = 255;

    std::vector<std::unique_ptr<Index[]>> parents_;
    std::vector<std::unique_ptr<std::uint8_t[]>> ordinals_;
    std::unordered_map<Index, std::uint32_t> large_ordinals_;
    std::size_t size_ = 0;
};

} // namespace bindcheck::checker
