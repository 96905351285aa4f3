#pragma once
// Symmetry between clone drivers: drivers that do the same things, each with
// its own device, components, masters and resources, are interchangeable
// when renaming one into the other (and back) maps the whole scenario onto
// itself. Then two worlds that differ only by such a renaming behave alike,
// and the search needs to store only one of them.
//
// Exactness. A group is only used when each of its transpositions is an
// automorphism of the scenario: with every index of the two members swapped
// (devices, drivers, components, masters, allocation sites, completions,
// group ids), every device, driver, component, master and allocation site
// equals its image, match lists included, in order. Worlds then map to
// worlds that run alike step for step (the interpreter only reads the
// scenario through those indices, and walks lists by position, not by
// index), and events map to events. The transpositions of a member with
// the group's first one generate every permutation of the members; groups
// have disjoint supports, so any product of their permutations is an
// automorphism too. Drivers that look alike but are not interchangeable
// (a master matches their components in order, say) are left alone and
// noted.
//
// Canonical form: of all the worlds the groups' permutations give, the one
// with the smallest encoding. It depends only on the orbit, so states of
// one orbit are stored once.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/bind_model.hpp"

namespace bindcheck::model {

enum class IndexKind : std::uint8_t { Device, Driver, Component, Master, Resource, Completion, GroupId };
inline constexpr std::size_t kIndexKinds = 7;

/// A bijection on each kind of scenario index, and the programs it implies.
struct Renaming {
    std::array<std::vector<int>, kIndexKinds> map;
    std::vector<std::uint16_t> programs;

    [[nodiscard]] int operator()(IndexKind kind, int index) const {
        return index < 0 ? index : map[static_cast<std::size_t>(kind)][static_cast<std::size_t>(index)];
    }
};

/// Interchangeable drivers. member_indices[j][kind]: what belongs to member
/// j, slot by slot; slot s of one member corresponds to slot s of another.
struct CloneGroup {
    std::vector<int> drivers;
    std::vector<std::array<std::vector<int>, kIndexKinds>> member_indices;
};

class Symmetry {
public:
    /// Finds the clone groups of the model's scenario (none when `enabled` is false).
    explicit Symmetry(const BindModel& model, bool enabled = true);

    [[nodiscard]] bool active() const { return !groups_.empty(); }
    [[nodiscard]] const std::vector<CloneGroup>& groups() const { return groups_; }
    /// Drivers that look alike but are not interchangeable, one sentence each.
    [[nodiscard]] const std::vector<std::string>& notes() const { return notes_; }
    /// "1 clone group (drivers enc0, enc1, enc2)" or "no clone groups".
    [[nodiscard]] std::string describe() const;

    /// Every renaming the groups' permutations give; the first is the identity.
    [[nodiscard]] const std::vector<Renaming>& renamings() const { return renamings_; }
    [[nodiscard]] Renaming inverse(const Renaming& r) const;

    [[nodiscard]] World rename(const Renaming& r, const World& world) const;
    void rename_into(const Renaming& r, const World& world, World& out) const;
    [[nodiscard]] Event rename(const Renaming& r, const Event& event) const;
    [[nodiscard]] Step rename(const Renaming& r, Step step) const;

    /// Replaces `world` by the representative of its orbit; returns the
    /// index (into renamings()) of the renaming that maps it there.
    std::size_t canonicalise(World& world) const;

    /// An index into renamings() of one that maps `from` onto `to`, or -1.
    [[nodiscard]] int renaming_between(const World& from, const World& to) const;

    /// Steps that run from the initial state through the representatives
    /// reached by `steps` (taken from representative to representative, as
    /// a symmetric search returns them), turned into a run of the model
    /// itself. Throws std::logic_error when they do not fit.
    [[nodiscard]] std::vector<std::uint32_t> real_run(const std::vector<std::uint32_t>& steps) const;

    [[nodiscard]] const BindModel& model() const { return model_; }

private:
    [[nodiscard]] Node rename(const Renaming& r, const Node& node) const;
    void find_groups();
    void build_renamings();
    void member_keys(const World& world, std::vector<std::string>& keys) const;

    const BindModel& model_;
    std::vector<CloneGroup> groups_;
    std::vector<std::string> notes_;
    std::vector<Renaming> renamings_;
    // Per renaming, the members of every group in turn: where each goes.
    std::vector<std::vector<std::uint8_t>> member_orders_;
    std::vector<std::size_t> same_group_; // per member position: its group
};

} // namespace bindcheck::model
