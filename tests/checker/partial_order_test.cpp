// The generic partial-order adapter on a toy model of counting processes:
// it expands one process where the others cannot interfere, all of them
// where they can, refuses what reduction_allowed refuses, and keeps the
// terminal state.

#include <doctest/doctest.h>

#include <bitset>
#include <cstdint>
#include <span>
#include <vector>

#include "checker/bfs.hpp"
#include "checker/partial_order.hpp"

namespace {

using bindcheck::checker::FindingMask;
using bindcheck::checker::ProcessMask;

struct Touches {
    std::bitset<8> objects; // every touch counts as a write
    Touches& operator|=(const Touches& other) {
        objects |= other.objects;
        return *this;
    }
};
bool conflicts(const Touches& a, const Touches& b) { return (a.objects & b.objects).any(); }

// Processes count from 0 to `limit`, each step one up. Process p's steps
// touch shared object shared_of[p] (none when -1).
class Counters {
public:
    using State = std::vector<std::uint8_t>;
    using Step = std::uint32_t; // the process
    using Transition = std::uint32_t;
    using Footprint = Touches;

    Counters(std::vector<int> shared_of, int limit, bool allow_all = true)
        : shared_of_(std::move(shared_of)), limit_(limit), allow_all_(allow_all) {}

    [[nodiscard]] State initial() const { return State(shared_of_.size(), 0); }
    template <class Sink>
    void for_each_successor(const State& s, Sink&& sink) const {
        for (std::size_t p = 0; p < s.size(); ++p) for_each_process_successor(s, p, sink);
    }
    void encode(const State& s, std::vector<std::byte>& out) const {
        for (std::uint8_t v : s) out.push_back(static_cast<std::byte>(v));
    }
    [[nodiscard]] State decode(std::span<const std::byte> bytes) const {
        State s;
        for (std::byte b : bytes) s.push_back(static_cast<std::uint8_t>(b));
        return s;
    }
    [[nodiscard]] std::uint32_t step_code(Step step) const { return step; }
    [[nodiscard]] Step step_from_code(std::uint32_t code) const { return code; }

    [[nodiscard]] std::size_t process_count(const State& s) const { return s.size(); }
    [[nodiscard]] bool process_enabled(const State& s, std::size_t p) const { return s[p] < limit_; }
    // Runs the process's steps, as a model whose footprints come from what
    // the steps did (model/reducible_model.hpp) must.
    [[nodiscard]] Touches next_footprint(const State& s, std::size_t p) const {
        for_each_process_successor(s, p, [](Step, const State&, Transition) {});
        return touches(p);
    }
    [[nodiscard]] Touches future_footprint(const State& s, std::size_t p, ProcessMask) const {
        return s[p] < limit_ ? touches(p) : Touches{};
    }
    [[nodiscard]] bool reduction_allowed(const State&, ProcessMask chosen) const {
        return allow_all_ || (chosen & 1U) != 0; // e.g. process 0 is the only "invisible" one
    }
    template <class Sink>
    void for_each_process_successor(const State& s, std::size_t p, Sink&& sink) const {
        if (s[p] >= limit_) return;
        ++steps_run;
        State next = s;
        ++next[p];
        sink(static_cast<Step>(p), next, static_cast<Transition>(p));
    }

    mutable std::uint64_t steps_run = 0; // how often a step was computed

protected:
    [[nodiscard]] Touches touches_of(std::size_t p) const { return touches(p); }

private:
    [[nodiscard]] Touches touches(std::size_t p) const {
        Touches t;
        if (shared_of_[p] >= 0) t.objects.set(static_cast<std::size_t>(shared_of_[p]));
        return t;
    }
    std::vector<int> shared_of_;
    int limit_;
    bool allow_all_;
};

// The same model, handing out the successors it computes for a next
// footprint (checker::ReportsSuccessors), so that they are not computed again.
class ReportingCounters : public Counters {
public:
    using Counters::Counters;
    template <class Sink>
    [[nodiscard]] Touches next_footprint_with_successors(const State& s, std::size_t p, Sink&& sink) const {
        for_each_process_successor(s, p, sink);
        return touches_of(p);
    }
};
static_assert(bindcheck::checker::ReportsSuccessors<ReportingCounters>);
static_assert(!bindcheck::checker::ReportsSuccessors<Counters>);

// Reports the terminal state (every counter at its limit) as finding 0.
struct TerminalObserver {
    FindingMask on_transition(const Counters::State&, const Counters::Step&, const Counters::State&,
                              const Counters::Transition&) {
        return 0;
    }
    FindingMask on_state(const Counters::State&) { return 0; }
    FindingMask on_terminal(const Counters::State&) { return 1; }
    FindingMask stopping_findings() const { return 0; }
};

std::uint64_t states(const Counters& model, bool reduce, std::size_t* terminal_length = nullptr) {
    TerminalObserver observer;
    bindcheck::checker::PartialOrderReduction<Counters> reduced(model);
    const auto check = [&](const auto& result) {
        REQUIRE(result.findings.size() == 1); // the terminal state is reached either way
        if (terminal_length) *terminal_length = result.findings[0].steps.size();
        return result.stats.states;
    };
    return reduce ? check(bindcheck::checker::breadth_first_search(reduced, observer))
                  : check(bindcheck::checker::breadth_first_search(model, observer));
}

} // namespace

TEST_CASE("independent processes are explored one at a time") {
    const Counters model({-1, -1, -1}, 3);
    std::size_t length = 0;
    CHECK(states(model, false) == 4 * 4 * 4);
    CHECK(states(model, true, &length) == 3 * 3 + 1); // one interleaving
    CHECK(length == 9);
}

TEST_CASE("processes sharing an object are all expanded; the others are not") {
    CHECK(states(Counters({0, 0, 0}, 2), true) == 3 * 3 * 3);
    // Processes 0 and 1 share object 0, process 2 is alone: 0 and 1
    // interleave fully, 2 runs after them in one line.
    CHECK(states(Counters({0, 0, 1}, 2), true) == 3 * 3 + 2);
}

TEST_CASE("a set the model refuses is expanded fully") {
    // Only sets holding process 0 are allowed: once process 0 is done, the
    // other two interleave fully.
    CHECK(states(Counters({-1, -1, -1}, 2, false), true) == 2 + 3 * 3);
}

TEST_CASE("successors computed for a footprint are emitted as they are, not computed again") {
    // Processes 0 and 1 share an object, 2 and 3 are alone: states are
    // expanded fully, by a proper subset, and alone.
    const std::vector<int> shared{0, 0, -1, -1};
    const Counters plain(shared, 2);
    const ReportingCounters reporting(shared, 2);
    TerminalObserver observer;
    bindcheck::checker::PartialOrderReduction<Counters> recomputing(plain);
    bindcheck::checker::PartialOrderReduction<ReportingCounters> reusing(reporting);
    const auto a = bindcheck::checker::breadth_first_search(recomputing, observer);
    const auto b = bindcheck::checker::breadth_first_search(reusing, observer);
    CHECK(a.stats.states == b.stats.states);
    CHECK(a.stats.transitions == b.stats.transitions);
    REQUIRE(a.findings.size() == 1);
    REQUIRE(b.findings.size() == 1);
    CHECK(a.findings[0].steps == b.findings[0].steps); // same successors in the same order
    CHECK(recomputing.counts().reduced == reusing.counts().reduced);
    CHECK(recomputing.counts().reduced > 0);
    // A contested state's steps are computed once for their footprints; the
    // expanded ones are computed again only without the reporting.
    CHECK(reporting.steps_run < plain.steps_run);
}

TEST_CASE("a refused persistent set is counted") {
    const Counters model({-1, -1, -1}, 2, false);
    TerminalObserver observer;
    bindcheck::checker::PartialOrderReduction<Counters> reduced(model);
    (void)bindcheck::checker::breadth_first_search(reduced, observer);
    CHECK(reduced.counts().refused > 0);
    CHECK(reduced.counts().refused + reduced.counts().reduced <= reduced.counts().contested);
}
