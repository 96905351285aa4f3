#pragma once
// The model as the explorer sees it (checker/model_concept.hpp): a scenario
// under a variant and a granularity, with initial state, successors and a
// canonical encoding. It knows nothing of search.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "checker/kept_scratch.hpp"
#include "model/interpreter.hpp"
#include "model/program_set.hpp"
#include "model/scenario.hpp"
#include "model/variant.hpp"
#include "model/world.hpp"

namespace bindcheck::model {

struct Step {
    std::uint8_t thread = 0;
    Action action = Action::Continue;
    std::uint16_t choices = 0; // outcomes of the choice points the step met
    friend bool operator==(const Step&, const Step&) = default;
};

class BindModel {
public:
    using State = World;
    using Transition = Events;
    using Step = model::Step;

    BindModel(Scenario scenario, Variant variant, Granularity granularity);
    BindModel(const BindModel&) = delete;
    BindModel& operator=(const BindModel&) = delete;

    [[nodiscard]] World initial() const { return machine_.initial(); }

    /// sink(const Step&, const World& next, const Events&) for every enabled step.
    template <class Sink>
    void for_each_successor(const World& world, Sink&& sink) const {
        // The search calls this for every state it expands: per-thread
        // scratch space keeps the successors' storage from one call to the
        // next, so steps copy into memory they already have. A sink that
        // calls back in (nested exploration) gets fresh space.
        thread_local Scratch kept;
        thread_local bool kept_busy = false;
        checker::KeptScratch<Scratch> scratch(kept, kept_busy);
        explore_all_threads(world, scratch.space(), sink);
    }

    /// The enabled steps of thread t alone, in for_each_successor's order;
    /// `executed` (when given) holds, at each sink call, the instructions that
    /// step ran. `next` and `events` are scratch space the caller may reuse.
    template <class Sink>
    void for_each_thread_successor(const World& world, int t, World& next, Events& events,
                                   ExecutedInstructions* executed, Sink&& sink) const {
        for (Action action : {Action::Continue, Action::Probe, Action::Remove, Action::Resume})
            if (machine_.enabled(world, t, action)) explore_choices(world, t, action, 0, 0, next, events, executed, sink);
    }

    /// Replays one step; false when it is not enabled (a trace that does not fit).
    bool apply(World& world, Step step, Events& out) const;

    void encode(const World& world, std::vector<std::byte>& out) const;
    /// The same bytes, and the end of each segment (one per device, thread
    /// and master, three more) relative to where they begin: the parts a
    /// tree-compressing store shares between states (checker/tree_store.hpp).
    void encode_segments(const World& world, std::vector<std::byte>& out,
                         std::vector<std::uint32_t>& segment_ends) const;
    [[nodiscard]] World decode(std::span<const std::byte> bytes) const;
    /// decode() into an existing World, reusing its storage.
    void decode_into(std::span<const std::byte> bytes, World& world) const;
    [[nodiscard]] std::uint32_t step_code(Step step) const;
    [[nodiscard]] Step step_from_code(std::uint32_t code) const;

    [[nodiscard]] const Scenario& scenario() const { return scenario_; }
    [[nodiscard]] const Variant& variant() const { return variant_; }
    [[nodiscard]] const ProgramSet& programs() const { return programs_; }
    [[nodiscard]] Granularity granularity() const { return machine_.granularity; }
    [[nodiscard]] const Machine& machine() const { return machine_; }

private:
    struct Scratch {
        World next;
        Events events;
    };

    template <class Sink>
    void explore_all_threads(const World& world, Scratch& scratch, Sink& sink) const {
        for (std::size_t t = 0; t < world.threads.size(); ++t)
            for_each_thread_successor(world, static_cast<int>(t), scratch.next, scratch.events, nullptr, sink);
    }

    template <class Sink>
    void explore_choices(const World& world, int t, Action action, std::uint16_t bits, int fixed, World& next,
                         Events& events, ExecutedInstructions* executed, Sink& sink) const {
        next = world;
        events.clear();
        if (executed) executed->clear();
        ChoiceOracle choices{bits, 0};
        machine_.run(next, t, action, choices, events, executed);
        sink(Step{static_cast<std::uint8_t>(t), action, bits}, next, events);
        const int met = choices.met;
        for (int k = fixed; k < met; ++k)
            explore_choices(world, t, action, static_cast<std::uint16_t>(bits | (1U << k)), k + 1, next, events,
                            executed, sink);
    }

    Scenario scenario_;
    Variant variant_;
    ProgramSet programs_;
    Machine machine_;
};

} // namespace bindcheck::model
