#pragma once
// Partial-order reduction with persistent sets, as a Model adapter: the
// search (bfs.hpp) explores PartialOrderReduction<M> like any model and
// stores fewer states, because in each state only the steps of a chosen set
// of processes are expanded.
//
// What the model promises (ReducibleModel). A state has processes; a
// process's steps change only its own local state and shared objects named
// by footprints. conflicts(a, b) is false only when steps with footprints a
// and b, of different processes, are independent wherever both can run:
// neither enables or disables the other, either order gives the same state,
// and each step gives the same transition (what observers judge) in either
// order. next_footprint(s, p) covers every enabled step of p in s;
// future_footprint(s, r, chosen) covers every step r can take from s on a
// path on which no process in `chosen` moves.
//
// Why the chosen set T is persistent. Closing T under "the future of a
// process outside T conflicts with the next steps of T" (an outside process
// that cannot move now must not conflict at all) makes every path from s
// that avoids T's processes consist of steps independent of T's enabled
// steps. So each path from s to a state q, or to a transition t, can be
// reordered into a path whose first step is in T (when the path contains a
// step of T: move the first such step to the front; it is enabled at s and
// means the same there), or else extended by a step e of T, taken first:
// e commutes with the whole path, which then leads to e(q) with every
// transition unchanged. By induction over a rank that every step decreases
// (the model's state graph must be acyclic; bfs has no cycle proviso):
//   - every terminal state is reached: a path to one must contain a step of
//     T, as e would still be enabled at the end;
//   - every transition an observer judges is reached with the same label;
//   - a state predicate P judged on non-terminal states is reached if no
//     step of T can falsify P at a P-state reachable by outside steps: the
//     model enforces it through reduction_allowed(s, T), which refuses any T
//     that might (the search then expands everything).
// Paths in the reduced graph can be longer than the shortest in the full
// one: a caller that promises shortest counterexamples must shorten them.
//
// Choosing T: every enabled process is tried as a seed; the smallest closed
// set wins; if none is smaller than all enabled processes, the state is
// expanded fully, in the model's own order.
//
// Cost. A model whose next footprints come from running the steps can hand
// those successors out (ReportsSuccessors); a contested state's successors
// are then emitted from them, in the model's order, instead of being
// computed a second time. Which successors are emitted does not change.

#include "checker/kept_scratch.hpp"
#include "checker/model_concept.hpp"

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace bindcheck::checker {

/// Bit p = process p; a model has at most 64 processes.
using ProcessMask = std::uint64_t;

template <class M>
concept ReducibleModel =
    Model<M> && requires(const M& m, const typename M::State& s, std::size_t p, ProcessMask chosen,
                         typename M::Footprint& f, const typename M::Footprint& g) {
        typename M::Footprint;
        { m.process_count(s) } -> std::convertible_to<std::size_t>;
        { m.process_enabled(s, p) } -> std::same_as<bool>;
        { m.next_footprint(s, p) } -> std::same_as<typename M::Footprint>;
        { m.future_footprint(s, p, chosen) } -> std::same_as<typename M::Footprint>;
        { m.reduction_allowed(s, chosen) } -> std::same_as<bool>;
        { conflicts(g, g) } -> std::same_as<bool>;
        f |= g;
        // sink(const Step&, const State&, const Transition&) for every enabled step of process p.
        m.for_each_process_successor(s, p, [](const typename M::Step&, const typename M::State&,
                                              const typename M::Transition&) {});
    };

/// A model that can hand out the successors it runs to compute a next
/// footprint: next_footprint_with_successors(s, p, sink) returns
/// next_footprint(s, p) and calls sink(step, state, transition) for each
/// enabled step of p, as for_each_process_successor would. The adapter then
/// emits them without running the steps a second time.
template <class M>
concept ReportsSuccessors =
    ReducibleModel<M> && requires(const M& m, const typename M::State& s, std::size_t p) {
        { m.next_footprint_with_successors(s, p, [](const typename M::Step&, const typename M::State&,
                                                     const typename M::Transition&) {}) }
            -> std::same_as<typename M::Footprint>;
    };

/// How much the reduction bit: expansions with a proper subset of the
/// enabled processes, of all expansions with at least two enabled; and of
/// the others, how many had a persistent proper subset that the model
/// refused (reduction_allowed), the rest being closed only by all enabled.
struct ReductionCounts {
    std::uint64_t reduced = 0;
    std::uint64_t contested = 0;
    std::uint64_t refused = 0;
};

template <ReducibleModel M>
class PartialOrderReduction {
public:
    using State = typename M::State;
    using Step = typename M::Step;
    using Transition = typename M::Transition;

    explicit PartialOrderReduction(const M& model) : model_(model) {}
    PartialOrderReduction(const PartialOrderReduction&) = delete;
    PartialOrderReduction& operator=(const PartialOrderReduction&) = delete;

    [[nodiscard]] State initial() const { return model_.initial(); }

    template <class Sink>
    void for_each_successor(const State& state, Sink&& sink) const
    {
        // The footprint runs of a contested state are kept and emitted from
        // here. Per thread and reused, so that successors are copied into
        // storage that has grown already; a sink that calls back in gets its own.
        thread_local Successors kept;
        thread_local bool kept_busy = false;
        KeptScratch<Successors> scratch(kept, kept_busy);
        Successors& cache = scratch.space();

        cache.used = 0;
        cache.filled = false;
        std::size_t count = 0;
        const ProcessMask chosen = choose(state, count, &cache);
        if (cache.filled) {
            for (std::size_t k = 0; k < cache.used; ++k) {
                const Successor& s = cache.entries[k];
                if (((chosen >> s.process) & 1U) != 0)
                    sink(s.step, s.state, s.transition);
            }
            return;
        }
        if (chosen == 0 || std::popcount(chosen) == static_cast<int>(count)) {
            model_.for_each_successor(state, sink);
            return;
        }
        for (ProcessMask rest = chosen; rest != 0; rest &= rest - 1)
            model_.for_each_process_successor(state, static_cast<std::size_t>(std::countr_zero(rest)), sink);
    }

    void encode(const State& state, std::vector<std::byte>& out) const { model_.encode(state, out); }
    void encode_segments(const State& state, std::vector<std::byte>& out, std::vector<std::uint32_t>& segment_ends) const
        requires SegmentedEncoding<M>
    {
        model_.encode_segments(state, out, segment_ends);
    }
    [[nodiscard]] State decode(std::span<const std::byte> bytes) const { return model_.decode(bytes); }
    void decode_into(std::span<const std::byte> bytes, State& state) const
        requires DecodesInPlace<M>
    {
        model_.decode_into(bytes, state);
    }
    [[nodiscard]] std::uint32_t step_code(const Step& step) const
    {
        return static_cast<std::uint32_t>(model_.step_code(step));
    }
    [[nodiscard]] Step step_from_code(std::uint32_t code) const { return model_.step_from_code(code); }

    [[nodiscard]] const M& model() const { return model_; }
    [[nodiscard]] ReductionCounts counts() const
    {
        return {reduced_.load(std::memory_order_relaxed), contested_.load(std::memory_order_relaxed),
                refused_.load(std::memory_order_relaxed)};
    }

    /// The processes whose steps are expanded in `state`; `enabled_count`
    /// gets how many processes have an enabled step.
    [[nodiscard]] ProcessMask choose(const State& state, std::size_t& enabled_count) const
    {
        return choose(state, enabled_count, nullptr);
    }

private:
    /// A successor met while computing a next footprint, kept to be emitted.
    struct Successor {
        Step step;
        State state;
        Transition transition;
        unsigned process = 0;
    };
    struct Successors {
        std::vector<Successor> entries; // [0, used) are this state's; the rest keep their storage
        std::size_t used = 0;
        bool filled = false; // every enabled process's successors are in, in the model's order
        void add(unsigned process, const Step& step, const State& state, const Transition& transition)
        {
            if (used == entries.size())
                entries.emplace_back();
            Successor& s = entries[used++];
            s.step = step;
            s.state = state;
            s.transition = transition;
            s.process = process;
        }
    };

    [[nodiscard]] ProcessMask choose(const State& state, std::size_t& enabled_count, Successors* cache) const
    {
        using Footprint = typename M::Footprint;
        const std::size_t n = model_.process_count(state);
        ProcessMask enabled = 0;
        for (std::size_t p = 0; p < n && p < 64; ++p)
            if (model_.process_enabled(state, p))
                enabled |= ProcessMask{1} << p;
        enabled_count = static_cast<std::size_t>(std::popcount(enabled));
        if (n > 64 || enabled_count <= 1)
            return enabled;
        contested_.fetch_add(1, std::memory_order_relaxed);

        // Kept per thread: a vector per call would allocate for every state.
        // choose() is not re-entered: the model's calls below do not call back.
        thread_local std::vector<Footprint> next;
        next.assign(n, Footprint{});
        for (ProcessMask rest = enabled; rest != 0; rest &= rest - 1) {
            const auto p = static_cast<std::size_t>(std::countr_zero(rest));
            if constexpr (ReportsSuccessors<M>) {
                if (cache) {
                    next[p] = model_.next_footprint_with_successors(
                        state, p, [&](const Step& step, const State& to, const Transition& transition) {
                            cache->add(static_cast<unsigned>(p), step, to, transition);
                        });
                    continue;
                }
            }
            next[p] = model_.next_footprint(state, p);
        }
        if constexpr (ReportsSuccessors<M>)
            if (cache)
                cache->filled = true;

        ProcessMask best = enabled;
        bool refused = false;
        for (ProcessMask seeds = enabled; seeds != 0 && std::popcount(best) > 1; seeds &= seeds - 1) {
            const auto seed = static_cast<std::size_t>(std::countr_zero(seeds));
            ProcessMask chosen = ProcessMask{1} << seed;
            Footprint chosen_next = next[seed];
            bool persistent = false;
            while (std::popcount(chosen) < std::popcount(best)) {
                // Futures shrink as `chosen` grows, so they are recomputed each round.
                ProcessMask added = 0;
                bool blocked_conflict = false;
                for (std::size_t r = 0; r < n; ++r) {
                    const ProcessMask bit = ProcessMask{1} << r;
                    if ((chosen & bit) != 0 || !conflicts(chosen_next, model_.future_footprint(state, r, chosen)))
                        continue;
                    if ((enabled & bit) != 0)
                        added |= bit;
                    else
                        blocked_conflict = true; // cannot be taken into the set: nothing to expand
                }
                if (added == 0) {
                    persistent = !blocked_conflict;
                    break;
                }
                chosen |= added;
                for (ProcessMask rest = added; rest != 0; rest &= rest - 1)
                    chosen_next |= next[static_cast<std::size_t>(std::countr_zero(rest))];
            }
            if (persistent && std::popcount(chosen) < std::popcount(best)) {
                if (model_.reduction_allowed(state, chosen))
                    best = chosen;
                else
                    refused = true;
            }
        }
        if (best != enabled)
            reduced_.fetch_add(1, std::memory_order_relaxed);
        else if (refused)
            refused_.fetch_add(1, std::memory_order_relaxed);
        return best;
    }

    const M& model_;
    mutable std::atomic<std::uint64_t> reduced_{0};
    mutable std::atomic<std::uint64_t> contested_{0};
    mutable std::atomic<std::uint64_t> refused_{0};
};

} // namespace bindcheck::checker
