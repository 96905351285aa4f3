#pragma once
// The seam between a model and the generic explorer. The explorer sees a
// model only through this concept: an initial state, its successors, and a
// canonical byte encoding (equal states give equal bytes). It never sees the
// domain; tests/checker/ exercise it on toy graphs.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace bindcheck::checker {

/// Bit k set = finding k (a violated property, or a piece of information)
/// occurs. The observer owns the meaning of the bits.
using FindingMask = std::uint64_t;

template <class M>
concept Model = requires(const M& m, const typename M::State& s, std::vector<std::byte>& out,
                         std::span<const std::byte> bytes, typename M::Step step) {
    typename M::State;
    typename M::Step;       // trivially copyable; step_code/step_from_code round-trip it
    typename M::Transition; // what a step did (e.g. its events); passed to observers
    { m.initial() } -> std::same_as<typename M::State>;
    // Calls sink(const Step&, const State& next, const Transition&) for every enabled step.
    m.for_each_successor(s, [](const typename M::Step&, const typename M::State&,
                               const typename M::Transition&) {});
    m.encode(s, out); // appends the canonical bytes of s to out
    { m.decode(bytes) } -> std::same_as<typename M::State>;
    { m.step_code(step) } -> std::convertible_to<std::uint32_t>;
    { m.step_from_code(std::uint32_t{}) } -> std::same_as<typename M::Step>;
};

/// Optional for a model: its encoding cut into segments, parts of a state
/// that change independently (one per device, thread, ...), so that a
/// store can share equal parts between states (tree_store.hpp). Appends the
/// same bytes as encode() to out, and to segment_ends the end offset of
/// each segment counted from where this state's bytes begin; every state
/// has the same number of segments.
template <class M>
concept SegmentedEncoding = Model<M> && requires(const M& m, const typename M::State& s, std::vector<std::byte>& out,
                                                 std::vector<std::uint32_t>& segment_ends) {
    m.encode_segments(s, out, segment_ends);
};

/// Optional for a model: decode() into an existing state, reusing its
/// storage, so that a search decoding millions of states does not allocate
/// for each. Leaves `state` equal to decode(bytes).
template <class M>
concept DecodesInPlace = Model<M> && requires(const M& m, std::span<const std::byte> bytes, typename M::State& state) {
    m.decode_into(bytes, state);
};

/// Observers judge transitions and states; the explorer records the first
/// (shallowest) occurrence of each finding bit.
template <class O, class M>
concept Observer = requires(O& o, const typename M::State& s, const typename M::Step& step,
                            const typename M::Transition& t) {
    { o.on_transition(s, step, s, t) } -> std::same_as<FindingMask>;
    { o.on_state(s) } -> std::same_as<FindingMask>;    // every newly stored state, once
    { o.on_terminal(s) } -> std::same_as<FindingMask>; // a state without successors
    // The search stops once all of these are found; 0 = never stop early.
    { o.stopping_findings() } -> std::same_as<FindingMask>;
};

/// Optional for an observer: the bits on_terminal can ever report. Why it
/// helps: a finding met on a transition out of BFS level d has length d + 1,
/// but a terminal state later in level d could report the same bit with
/// length d. So when the last stopping finding turns up mid-level, the search
/// still asks the rest of that level which states are terminal, unless the
/// observer says no terminal state can shorten what it has found.
template <class O>
concept DeclaresTerminalFindings = requires(O& o) {
    { o.terminal_findings() } -> std::convertible_to<FindingMask>;
};

} // namespace bindcheck::checker
