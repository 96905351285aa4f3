#pragma once
// The bind model seen by partial-order reduction (checker/partial_order.hpp):
// processes are the drivers' threads, footprints come from footprint.hpp.
// What follows is why the reduction is sound for this model and for every
// property of properties/ (checker/partial_order.hpp gives the general
// argument and what it asks of a model).
//
// Independence. A step of thread t runs one shared instruction and the local
// ones after it (at call granularity, a whole framework call). Everything it
// does is a function of t's own Thread record and of the shared objects its
// instructions name (footprint.hpp), and it changes nothing else. The next
// footprint is taken from the instructions the step actually executed (every
// choice resolution, every enabled action), so it is exact for the operands
// (which master, component, device). Events only carry t's own frame and
// what was read, so independent steps give the same events in either order.
// Enabledness reads t's own record, plus component_mutex (Lock) or a
// completion (Wait): both in the footprint of the step that reads them.
// Properties that judge a transition by the world after it read things
// independent steps must not change; footprint.hpp adds them to the step:
// BindScopeEnd reads every device's Scoped view (bind-scope), MutexUnlock
// every device's Groups view (open-group), a probe's end the framework
// records (leak).
//
// Futures. A thread's future is a static over-approximation per program,
// pc and sign of the frame's return register: everything reachable from each
// frame of its stack (callees included, every master and component for
// operands a later local may change), then the activities its budgets still
// allow. Branches on the return register follow its sign: the top frame's is
// known, a caller's is one its callee may return (or its own, for a callee
// returning nothing). So a probe past its last failing call does not count
// its failure cleanup. Framework group openings fail only while the world's
// budget of such failures lasts; the budget never grows, so with none left
// the summaries without those failures are used. When the set being built holds
// component_mutex's owner, an outside thread can only run up to its next
// Lock before a step of the set: the owner keeps the mutex until it moves.
// So its future is cut there. Framework code touches a master's parent or
// a component's device only for a master registered at that moment (and a
// component it matches): registered now, or registered later by a thread
// that moves, i.e. not by a thread of the set. Both cuts are what makes the
// reduction bite: framework calls run under the mutex and touch devices of
// other drivers.
//
// State predicates. Only leak judges non-terminal states: P = "every thread
// is unbound and idle, and something remains". A step can falsify P only in
// a state where P holds, i.e. with every thread unbound and idle. If some
// thread of the chosen set T is not unbound and idle at s, no state reached
// by steps outside T is quiescent (T's threads do not move), so no step of
// T falsifies P there; otherwise reduction_allowed refuses T. When leak is
// not among the checked properties, no state predicate is judged and
// nothing is refused. Terminal states (waits-forever) need nothing beyond
// persistence.
//
// Acyclicity (no cycle proviso). Only thread t's steps change t's record,
// and each of them moves it strictly down a well-founded order: probes_left,
// then the activity (a probe can be followed by a remove and resumes;
// resumes_left only grows back at a probe's end, which used a probe), then
// the progress inside the activity. Within an activity the stack only runs
// forward: driver blocks are straight-line, and each backward jump of the
// framework closes a loop whose head moves the frame's i strictly
// (NextEntry, NextUnboundMaster up; PrevEntry down) within a bounded list.
// So no global state repeats on a path. tests/model/por_agreement_test.cpp
// checks the explored graphs of the shipped scenarios for cycles.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "checker/kept_scratch.hpp"
#include "model/bind_model.hpp"
#include "model/footprint.hpp"

namespace bindcheck::model {

class ReducibleBindModel {
public:
    using State = World;
    using Step = model::Step;
    using Transition = Events;
    using Footprint = model::Footprint;

    /// `judges_quiescent_states`: whether leak, the one property judging
    /// non-terminal states, is checked; without it nothing is refused.
    explicit ReducibleBindModel(const BindModel& model, bool judges_quiescent_states = true)
        : model_(model), analysis_(model.scenario(), model.programs()), judges_quiescent_(judges_quiescent_states) {}
    ReducibleBindModel(const ReducibleBindModel&) = delete;
    ReducibleBindModel& operator=(const ReducibleBindModel&) = delete;

    [[nodiscard]] World initial() const { return model_.initial(); }
    template <class Sink>
    void for_each_successor(const World& world, Sink&& sink) const {
        model_.for_each_successor(world, sink);
    }
    void encode(const World& world, std::vector<std::byte>& out) const { model_.encode(world, out); }
    void encode_segments(const World& world, std::vector<std::byte>& out,
                         std::vector<std::uint32_t>& segment_ends) const {
        model_.encode_segments(world, out, segment_ends);
    }
    [[nodiscard]] World decode(std::span<const std::byte> bytes) const { return model_.decode(bytes); }
    void decode_into(std::span<const std::byte> bytes, World& world) const { model_.decode_into(bytes, world); }
    [[nodiscard]] std::uint32_t step_code(Step step) const { return model_.step_code(step); }
    [[nodiscard]] Step step_from_code(std::uint32_t code) const { return model_.step_from_code(code); }

    [[nodiscard]] std::size_t process_count(const World& world) const { return world.threads.size(); }

    [[nodiscard]] bool process_enabled(const World& world, std::size_t t) const {
        for (Action action : {Action::Continue, Action::Probe, Action::Remove, Action::Resume})
            if (model_.machine().enabled(world, static_cast<int>(t), action)) return true;
        return false;
    }

    [[nodiscard]] Footprint next_footprint(const World& world, std::size_t t) const {
        return next_footprint_with_successors(world, t, [](const Step&, const World&, const Events&) {});
    }

    /// next_footprint, handing each step it runs to sink(step, next, events)
    /// as for_each_process_successor would (checker::ReportsSuccessors).
    template <class Sink>
    [[nodiscard]] Footprint next_footprint_with_successors(const World& world, std::size_t t, Sink&& sink) const {
        // Scratch space kept per thread from one call to the next, so that
        // steps copy into storage they have; a sink that calls back in gets its own.
        struct Scratch {
            World next;
            Events events;
            ExecutedInstructions executed;
        };
        thread_local Scratch kept;
        thread_local bool kept_busy = false;
        checker::KeptScratch<Scratch> scratch(kept, kept_busy);
        World& next = scratch.space().next;
        Events& events = scratch.space().events;
        ExecutedInstructions& executed = scratch.space().executed;
        Footprint out;
        model_.for_each_thread_successor(world, static_cast<int>(t), next, events, &executed,
                                         [&](const Step& step, const World& after, const Events& happened) {
                                             Footprint fp;
                                             for (const ExecutedInstruction& e : executed)
                                                 analysis_.add_executed(fp, static_cast<int>(t), e);
                                             out |= analysis_.as_step(fp, world, after);
                                             sink(step, after, happened);
                                         });
        return out;
    }

    [[nodiscard]] Footprint future_footprint(const World& world, std::size_t t, std::uint64_t chosen) const {
        const int owner = world.mutex_owner;
        const bool owner_stays = owner >= 0 && static_cast<std::size_t>(owner) != t &&
                                 ((chosen >> static_cast<unsigned>(owner)) & 1U) != 0;
        return analysis_.future(world, static_cast<int>(t), owner_stays, chosen);
    }

    [[nodiscard]] bool reduction_allowed(const World& world, std::uint64_t chosen) const {
        if (!judges_quiescent_) return true;
        for (std::size_t t = 0; t < world.threads.size(); ++t) {
            const Thread& th = world.threads[t];
            if (((chosen >> t) & 1U) != 0 && !(th.phase == Phase::Unbound && th.stack.empty())) return true;
        }
        return false; // every chosen thread is idle and unbound: a probe start could falsify leak's P
    }

    template <class Sink>
    void for_each_process_successor(const World& world, std::size_t t, Sink&& sink) const {
        World next;
        Events events;
        model_.for_each_thread_successor(world, static_cast<int>(t), next, events, nullptr, sink);
    }

    [[nodiscard]] const BindModel& model() const { return model_; }

private:
    const BindModel& model_;
    FootprintAnalysis analysis_;
    bool judges_quiescent_ = true;
};

} // namespace bindcheck::model
