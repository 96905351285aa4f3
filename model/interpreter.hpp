#pragma once
// Runs the step language: one step of one thread at a time.

#include <cstdint>

#include "model/program_set.hpp"
#include "model/scenario.hpp"
#include "model/variant.hpp"
#include "model/world.hpp"

namespace bindcheck::model {

enum class Granularity : std::uint8_t {
    Devres, // a step per shared instruction: every devres call, registry change, lock, ...
    Call,   // a framework call from entry to return is one step
};

enum class Action : std::uint8_t { Continue, Probe, Remove, Resume };

/// Resolves the choice points one step meets (a bind that may fail, a group
/// allocation that may fail): bit k of `bits` is the outcome of the k-th.
struct ChoiceOracle {
    static constexpr int kMaxChoices = 16; // a step code holds 16 outcome bits
    std::uint16_t bits = 0;
    int met = 0; // choice points met so far
    /// Throws ModelLimit at the 17th choice point of one step.
    [[nodiscard]] bool next();
};

/// Everything a step reads besides the world; immutable during a search.
struct Machine {
    const Scenario& scenario;
    const Variant& variant;
    const ProgramSet& programs;
    Granularity granularity = Granularity::Devres;

    /// Whether `action` of thread `t` can run in `world`.
    [[nodiscard]] bool enabled(const World& world, int t, Action action) const;
    /// Runs the step; `world` becomes the next world, `out` gets its events.
    void run(World& world, int t, Action action, ChoiceOracle& choices, Events& out) const;
    /// The initial world: every driver unbound, every list empty.
    [[nodiscard]] World initial() const;
};

} // namespace bindcheck::model
