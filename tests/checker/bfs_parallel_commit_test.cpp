// The threaded search's parallel parts on a model whose states are cut into
// segments, so that the tree store interns inner nodes from several threads
// at once while another thread inserts top pairs: whatever the thread
// count, block and round size, and even when every tree node's hash
// collides, the result is the one of a plain one-thread search. The
// observer forgets nothing it is asked but, like the property observer,
// never reports a bit twice, so each thread's copy depends on what that
// copy has seen; the model decodes in place, so the search reuses states.

#include "checker/bfs.hpp"
#include "checker/tree_store.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

namespace bindcheck::checker::test {
namespace {

/// Counters 0..limit. A step raises one counter or moves one unit from a
/// counter to the next (cyclically). Segment i encodes counter i as a
/// length byte and then that many copies of the value, so segments have
/// different lengths and span several 32-bit words.
struct CounterModel {
    using State = std::vector<std::uint8_t>;
    using Step = std::uint32_t; // 2 * counter + (0 raise, 1 move)
    using Transition = std::uint32_t;

    std::size_t counters = 5;
    std::uint8_t limit = 4;
    mutable std::uint64_t in_place_decodes = 0; // only ever from one thread in the tests that read it

    [[nodiscard]] State initial() const { return State(counters, 0); }

    template <class Sink>
    void for_each_successor(const State& state, Sink&& sink) const
    {
        State next;
        for (std::size_t i = 0; i < counters; ++i) {
            const std::size_t j = (i + 1) % counters;
            if (state[i] < limit) {
                next = state;
                ++next[i];
                sink(static_cast<Step>(2 * i), next, static_cast<Transition>(2 * i));
            }
            if (state[i] > 0 && state[j] < limit) {
                next = state;
                --next[i];
                ++next[j];
                sink(static_cast<Step>(2 * i + 1), next, static_cast<Transition>(2 * i + 1));
            }
        }
    }

    void encode_segments(const State& state, std::vector<std::byte>& out, std::vector<std::uint32_t>& ends) const
    {
        const std::size_t begin = out.size();
        for (const std::uint8_t value : state) {
            const std::size_t length = 1 + (value * 3U) % 7;
            out.push_back(static_cast<std::byte>(length));
            out.insert(out.end(), length, static_cast<std::byte>(value));
            ends.push_back(static_cast<std::uint32_t>(out.size() - begin));
        }
    }
    void encode(const State& state, std::vector<std::byte>& out) const
    {
        std::vector<std::uint32_t> ends;
        encode_segments(state, out, ends);
    }
    void decode_into(std::span<const std::byte> bytes, State& state) const
    {
        state.clear();
        for (std::size_t at = 0; at < bytes.size(); at += 1 + static_cast<std::size_t>(bytes[at]))
            state.push_back(static_cast<std::uint8_t>(bytes[at + 1]));
    }
    [[nodiscard]] State decode(std::span<const std::byte> bytes) const
    {
        State state;
        decode_into(bytes, state);
        return state;
    }
    [[nodiscard]] std::uint32_t step_code(Step step) const { return step; }
    [[nodiscard]] Step step_from_code(std::uint32_t code) const { return code; }
};
static_assert(SegmentedEncoding<CounterModel>);
static_assert(DecodesInPlace<CounterModel>);

/// Findings: bit 0 a state whose counters are 1, 2, 3, ...; bit 1 a state
/// with counter 0 at the limit and the rest summing to 3; bit 2 a move out of
/// a full last counter; bit 3 the terminal state (every counter full).
/// Reports each bit at most once, as properties::PropertyObserver does.
struct CounterObserver {
    const CounterModel* model = nullptr;
    FindingMask stopping = 0;
    FindingMask reported = 0;

    [[nodiscard]] FindingMask state_bits(const CounterModel::State& s) const
    {
        FindingMask bits = 0;
        bool staircase = true;
        unsigned rest = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            staircase = staircase && s[i] == (i + 1) % (model->limit + 1U);
            rest += i > 0 ? s[i] : 0U;
        }
        if (staircase)
            bits |= 1;
        if (s[0] == model->limit && rest == 3)
            bits |= 2;
        return bits;
    }
    FindingMask fresh(FindingMask bits)
    {
        bits &= ~reported;
        reported |= bits;
        return bits;
    }
    FindingMask on_transition(const CounterModel::State& from, std::uint32_t step, const CounterModel::State&,
                              std::uint32_t)
    {
        const std::size_t last = model->counters - 1;
        return fresh(step == 2 * last + 1 && from[last] == model->limit ? 4 : 0);
    }
    FindingMask on_state(const CounterModel::State& s) { return fresh(state_bits(s)); }
    FindingMask on_terminal(const CounterModel::State&) { return fresh(8); }
    [[nodiscard]] FindingMask stopping_findings() const { return stopping; }
};
static_assert(Observer<CounterObserver, CounterModel>);

std::uint64_t few_hashes(std::uint64_t key) noexcept { return mix64(key % 5); }

template <class M>
void check_same(const SearchResult<M>& expected, const SearchResult<M>& actual)
{
    CHECK(actual.outcome == expected.outcome);
    CHECK(actual.limit == expected.limit);
    CHECK(actual.depth_truncated == expected.depth_truncated);
    CHECK(actual.stats.states == expected.stats.states);
    CHECK(actual.stats.transitions == expected.stats.transitions);
    CHECK(actual.stats.depth == expected.stats.depth);
    REQUIRE(actual.findings.size() == expected.findings.size());
    for (std::size_t i = 0; i < expected.findings.size(); ++i) {
        CHECK(actual.findings[i].bit == expected.findings[i].bit);
        CHECK(actual.findings[i].steps == expected.findings[i].steps);
    }
}

void check_configurations(const CounterModel& model, SearchOptions options, FindingMask stopping)
{
    CounterObserver reference_observer{&model, stopping};
    options.threads = 1;
    options.store = StoreKind::Exact;
    const auto expected = breadth_first_search(model, reference_observer, options);
    REQUIRE(expected.stats.states > 100);

    struct Tuning {
        std::size_t block;
        std::size_t round;
        bool colliding;
    };
    for (const Tuning& tuning : {Tuning{1, 1, false}, Tuning{2, 5, true}, Tuning{3, 17, false}, Tuning{7, 64, true},
                                Tuning{32, 1024, false}}) {
        for (unsigned threads : {2U, 3U}) {
            CAPTURE(tuning.block);
            CAPTURE(tuning.round);
            CAPTURE(tuning.colliding);
            CAPTURE(threads);
            detail::ParallelTuning parallel;
            parallel.states_per_block = tuning.block;
            parallel.states_per_thread_round = tuning.round;
            parallel.make_store = [colliding = tuning.colliding]() -> std::unique_ptr<VisitedStates> {
                auto store = std::make_unique<TreeStore>();
                if (colliding)
                    store->set_hash_for_testing(&few_hashes);
                return store;
            };
            CounterObserver observer{&model, stopping};
            options.threads = threads;
            check_same(expected, detail::breadth_first_search_tuned(model, observer, options, parallel));
        }
    }
}

TEST_CASE("bfs parallel commit: tree nodes interned on every thread, the same result")
{
    CounterModel model;
    check_configurations(model, {}, 0);
    check_configurations(model, {}, 1 | 2);       // stops in the middle of a level
    check_configurations(model, {}, 1 | 2 | 4 | 8); // needs the terminal state, the last one
    SearchOptions limited;
    limited.max_states = 1777;
    check_configurations(model, limited, 0);
    SearchOptions shallow;
    shallow.max_depth = 9;
    check_configurations(model, shallow, 0);
}

TEST_CASE("bfs parallel commit: the state is decoded in place once it exists")
{
    // With decode_into the search decodes into the states it keeps (one
    // for the state it expands, one for the new states it judges): all
    // but the first of each are in place. One thread: nothing shared.
    struct CountingModel : CounterModel {
        void decode_into(std::span<const std::byte> bytes, State& state) const
        {
            ++in_place_decodes;
            CounterModel::decode_into(bytes, state);
        }
    };
    static_assert(DecodesInPlace<CountingModel>);
    CountingModel model;
    CounterObserver observer{&model, 0};
    const auto result = breadth_first_search(model, observer);
    CHECK(result.stats.states == 3125); // 5^5: every combination is reachable
    CHECK(model.in_place_decodes >= 2 * result.stats.states - 3);
}

} // namespace
} // namespace bindcheck::checker::test
