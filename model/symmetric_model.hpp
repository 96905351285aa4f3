#pragma once
// A model whose successors are the representatives of their orbits under
// the scenario's clone symmetry (symmetry.hpp), so that the explorer stores
// one state per orbit. Wraps the plain model, or the reducible one for
// partial-order reduction over the symmetric model.
//
// What a transition shows an observer: the representative it leads to, and
// its events renamed by the renaming that made the representative. That is
// the image of a real transition under an automorphism, so properties, which
// never tell members of a clone group apart, judge it as the real one.
// Steps stay the steps taken from the stored representative: a path of them
// runs through representatives, and Symmetry::real_run turns it into a run.
//
// With partial-order reduction: the persistent set is chosen in the stored
// representative, which is a real state, and its successors are then
// canonicalised. Automorphisms map paths to paths, transitions to renamed
// transitions and terminal states to terminal states; so the argument of
// checker/partial_order.hpp, made at the representative, carries over to
// every state of its orbit.

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "checker/kept_scratch.hpp"
#include "model/bind_model.hpp"
#include "model/symmetry.hpp"

namespace bindcheck::model {

namespace detail {
template <class Base>
struct FootprintOf {
    using type = void;
};
template <class Base>
    requires requires { typename Base::Footprint; }
struct FootprintOf<Base> {
    using type = typename Base::Footprint;
};
} // namespace detail

template <class Base>
class SymmetricModel {
public:
    using State = World;
    using Step = model::Step;
    using Transition = Events;
    using Footprint = typename detail::FootprintOf<Base>::type;

    SymmetricModel(const Base& base, const Symmetry& symmetry) : base_(base), symmetry_(symmetry) {}
    SymmetricModel(const SymmetricModel&) = delete;
    SymmetricModel& operator=(const SymmetricModel&) = delete;

    [[nodiscard]] World initial() const {
        World world = base_.initial();
        symmetry_.canonicalise(world);
        return world;
    }

    template <class Sink>
    void for_each_successor(const World& world, Sink&& sink) const {
        base_.for_each_successor(world, [&](const Step& step, const World& next, const Events& events) {
            forward(step, next, events, sink);
        });
    }

    void encode(const World& world, std::vector<std::byte>& out) const { bind_model().encode(world, out); }
    void encode_segments(const World& world, std::vector<std::byte>& out,
                         std::vector<std::uint32_t>& segment_ends) const {
        bind_model().encode_segments(world, out, segment_ends);
    }
    [[nodiscard]] World decode(std::span<const std::byte> bytes) const { return bind_model().decode(bytes); }
    void decode_into(std::span<const std::byte> bytes, World& world) const { bind_model().decode_into(bytes, world); }
    [[nodiscard]] std::uint32_t step_code(Step step) const { return bind_model().step_code(step); }
    [[nodiscard]] Step step_from_code(std::uint32_t code) const { return bind_model().step_from_code(code); }

    // ---- partial-order reduction, when the base model offers it
    [[nodiscard]] std::size_t process_count(const World& world) const
        requires(!std::is_void_v<Footprint>)
    {
        return base_.process_count(world);
    }
    [[nodiscard]] bool process_enabled(const World& world, std::size_t t) const
        requires(!std::is_void_v<Footprint>)
    {
        return base_.process_enabled(world, t);
    }
    [[nodiscard]] Footprint next_footprint(const World& world, std::size_t t) const
        requires(!std::is_void_v<Footprint>)
    {
        return base_.next_footprint(world, t);
    }
    // next_footprint_with_successors (checker::ReportsSuccessors) is left
    // out on purpose: keeping the footprint runs' successors would
    // canonicalise those of every contested thread, which costs more than
    // running the chosen threads' steps again (measured on the family, N = 4
    // with the second master at call granularity: 5.5-5.9 s against
    // 3.5-4.9 s for the reduced search).
    [[nodiscard]] Footprint future_footprint(const World& world, std::size_t t, std::uint64_t chosen) const
        requires(!std::is_void_v<Footprint>)
    {
        return base_.future_footprint(world, t, chosen);
    }
    [[nodiscard]] bool reduction_allowed(const World& world, std::uint64_t chosen) const
        requires(!std::is_void_v<Footprint>)
    {
        return base_.reduction_allowed(world, chosen);
    }
    template <class Sink>
    void for_each_process_successor(const World& world, std::size_t t, Sink&& sink) const
        requires(!std::is_void_v<Footprint>)
    {
        base_.for_each_process_successor(world, t, [&](const Step& step, const World& next, const Events& events) {
            forward(step, next, events, sink);
        });
    }

    [[nodiscard]] const Symmetry& symmetry() const { return symmetry_; }

private:
    [[nodiscard]] const BindModel& bind_model() const { return symmetry_.model(); }

    template <class Sink>
    void forward(const Step& step, const World& next, const Events& events, Sink& sink) const {
        // Called for every successor: the representative and the renamed
        // events are built in per-thread space kept from call to call, which
        // assignment fills without allocating once it has grown. A sink that
        // calls back in gets fresh space.
        struct Scratch {
            World representative;
            Events renamed;
        };
        thread_local Scratch kept;
        thread_local bool kept_busy = false;
        checker::KeptScratch<Scratch> kept_scratch(kept, kept_busy);
        Scratch& scratch = kept_scratch.space();

        scratch.representative = next;
        const std::size_t used = symmetry_.canonicalise(scratch.representative);
        if (used == 0) {
            sink(step, scratch.representative, events);
            return;
        }
        const Renaming& renaming = symmetry_.renamings()[used];
        scratch.renamed.clear();
        for (const Event& e : events) scratch.renamed.push_back(symmetry_.rename(renaming, e));
        sink(step, scratch.representative, scratch.renamed);
    }

    const Base& base_;
    const Symmetry& symmetry_;
};

} // namespace bindcheck::model
