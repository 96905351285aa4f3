#pragma once
// Runs the step language: one step of one thread at a time.

#include <cstdint>
#include <vector>

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

/// An instruction a step executed, with its frame's master and component at
/// that moment: enough for model/footprint.hpp to tell which shared objects
/// the step touched, without the interpreter knowing what a footprint is.
struct ExecutedInstruction {
    std::uint16_t program = 0;
    std::uint16_t pc = 0;
    std::int8_t m = -1;
    std::int8_t c = -1;
};
using ExecutedInstructions = std::vector<ExecutedInstruction>;

/// Everything a step reads besides the world; immutable during a search.
struct Machine {
    const Scenario& scenario;
    const Variant& variant;
    const ProgramSet& programs;
    Granularity granularity = Granularity::Devres;

    /// Whether `action` of thread `t` can run in `world`.
    [[nodiscard]] bool enabled(const World& world, int t, Action action) const;
    /// Runs the step; `world` becomes the next world, `out` gets its events,
    /// and `executed` (when given) every instruction the step ran, in order.
    void run(World& world, int t, Action action, ChoiceOracle& choices, Events& out,
             ExecutedInstructions* executed = nullptr) const;
    /// The initial world: every driver unbound, every list empty.
    [[nodiscard]] World initial() const;
};

} // namespace bindcheck::model
