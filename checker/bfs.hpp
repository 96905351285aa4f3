#pragma once
// Level-synchronous breadth-first search over any Model, judged by an
// Observer, so that every finding comes with a shortest path to it.
//
// States are numbered in the order they are stored, which is BFS order, so
// the store doubles as the queue: level d is a contiguous range of numbers.
// Memory per stored state of L encoded bytes: the store's L + 1 + 8 bytes
// plus its hash table's 10.7 to 21.3 (state_store.hpp), and the search
// tree's 8 (search_tree.hpp): about L + 33 bytes, plus vector growth slack.
//
// Callbacks, per expanded state: on_transition for each successor in the
// model's order; then, in the same order, on_state for each successor that
// was newly stored (given the state decoded from its canonical bytes); or
// on_terminal when there is no successor. Judging every transition before
// looking any target up lets the store fetch all their table slots at once.
//
// Shortest paths. A finding's length is depth(from) + 1 when on_transition
// reports it and depth(state) when on_state or on_terminal does. While level
// d is expanded, transitions and new states give length d + 1 but terminal
// states of level d give length d, so a first-found finding can still be
// beaten by one step: ShortestFindings keeps the shortest, and before
// stopping in the middle of a level (all stopping findings found, or
// max_states hit) the search asks the rest of that level which states are
// terminal. Every returned path is then a shortest one among all
// occurrences; a Limit::Time stop, which only checks the clock, is the one
// exception (a path may then be one step too long).
//
// Limits. max_states: the transition that would add one state too many has
// been judged (and counted) but its target is not stored. max_depth: states
// at that depth are stored and judged by on_state but not expanded, so their
// terminal-ness is unknown; the outcome is LimitReached(Depth) exactly when
// such states exist (depth_truncated), else Exhausted.
//
// The search never prints, never exits, and is deterministic: the same model
// and observer get the same callbacks in the same order every run.

#include "checker/model_concept.hpp"
#include "checker/search_options.hpp"
#include "checker/search_result.hpp"
#include "checker/search_tree.hpp"
#include "checker/shortest_findings.hpp"
#include "checker/state_store.hpp"
#include "checker/statistics.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace bindcheck::checker {

namespace detail {

template <Model M, Observer<M> O>
class BreadthFirstSearch {
public:
    BreadthFirstSearch(const M& model, O& observer, const SearchOptions& options)
        : model_(model), observer_(observer), options_(options)
    {
    }

    SearchResult<M> run();

private:
    using State = typename M::State;
    using Step = typename M::Step;
    using Transition = typename M::Transition;
    using Index = StateStore::Index;
    using Clock = std::chrono::steady_clock;

    enum class Stop { None, AllFound, Depth, States, Time };

    /// A successor of the state being expanded, waiting to be looked up.
    struct Successor {
        std::size_t offset; // of its encoding in successor_bytes_
        std::size_t length;
        std::uint32_t step_code;
    };

    // Read the clock only every so many units of work (expansions plus
    // transitions): now() is cheap, but not free at millions of states/s.
    static constexpr std::int64_t work_between_clock_checks = 4096;

    void store_initial();
    void expand(Index current);
    void store_successors(Index current);
    void shorten_by_terminals(std::size_t begin, std::size_t end);
    void check_clock(std::size_t current);
    void record(FindingMask mask, Index state, std::uint64_t length)
    {
        if (mask != 0)
            findings_.record(mask, {length, state, 0, false});
    }
    void record_step(FindingMask mask, Index from, std::uint32_t step_code, std::uint64_t length)
    {
        if (mask != 0)
            findings_.record(mask, {length, from, step_code, true});
    }
    void stop_if_all_found()
    {
        if (findings_.all_found(stopping_))
            stop_ = Stop::AllFound;
    }
    [[nodiscard]] bool terminal_could_shorten() const
    {
        FindingMask terminal_bits = ~FindingMask{0};
        if constexpr (DeclaresTerminalFindings<O>)
            terminal_bits = static_cast<FindingMask>(observer_.terminal_findings());
        return findings_.any_longer_than(terminal_bits, depth_);
    }
    [[nodiscard]] std::uint64_t bookkeeping_bytes() const { return store_.memory_bytes() + tree_.memory_bytes(); }
    [[nodiscard]] double elapsed_seconds() const
    {
        return std::chrono::duration<double>(Clock::now() - start_).count();
    }
    [[nodiscard]] SearchResult<M> make_result() const;

    const M& model_;
    O& observer_;
    const SearchOptions& options_;

    StateStore store_;
    SearchTree tree_;
    ShortestFindings findings_;
    FindingMask stopping_ = 0;

    // The expanded state's successors; reused from state to state, so the
    // hot loop allocates nothing once these have grown to size.
    std::vector<std::byte> successor_bytes_;
    std::vector<Successor> successors_;
    std::vector<PreparedBytes> prepared_;

    Stop stop_ = Stop::None;
    std::uint64_t depth_ = 0;   // level being expanded
    std::uint64_t deepest_ = 0; // deepest level holding a stored state
    std::uint64_t transitions_ = 0;
    Clock::time_point start_{};
    std::int64_t work_until_clock_check_ = 0; // so the clock is read before the first expansion
    double last_progress_seconds_ = 0.0;
};

template <Model M, Observer<M> O>
SearchResult<M> BreadthFirstSearch<M, O>::run()
{
    start_ = Clock::now();
    stopping_ = observer_.stopping_findings();
    if (options_.max_states == 0) {
        stop_ = Stop::States;
        return make_result();
    }
    store_initial();

    // Level depth_ holds the states numbered [level_begin, level_end).
    std::size_t level_begin = 0;
    std::size_t level_end = store_.size();
    while (stop_ == Stop::None && level_begin < level_end) {
        if (depth_ >= options_.max_depth) {
            stop_ = Stop::Depth;
            break;
        }
        for (std::size_t current = level_begin; current < level_end && stop_ == Stop::None; ++current) {
            if (work_until_clock_check_ <= 0) {
                check_clock(current);
                if (stop_ != Stop::None)
                    break;
            }
            expand(static_cast<Index>(current));
            if (stop_ == Stop::AllFound || stop_ == Stop::States)
                shorten_by_terminals(current + 1, level_end);
        }
        level_begin = level_end;
        level_end = store_.size();
        ++depth_;
    }
    return make_result();
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::store_initial()
{
    const State initial = model_.initial();
    model_.encode(initial, successor_bytes_);
    store_.insert(successor_bytes_);
    tree_.add_root();
    record(observer_.on_state(initial), 0, 0);
    stop_if_all_found();
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::expand(Index current)
{
    const State from = model_.decode(store_.get(current));
    bool has_successor = false;
    --work_until_clock_check_;
    successor_bytes_.clear();
    successors_.clear();

    model_.for_each_successor(from, [&](const Step& step, const State& to, const Transition& transition) {
        if (stop_ != Stop::None)
            return; // the model cannot be interrupted; ignore its remaining steps
        has_successor = true;
        --work_until_clock_check_;
        const std::size_t offset = successor_bytes_.size();
        model_.encode(to, successor_bytes_);
        const auto code = static_cast<std::uint32_t>(model_.step_code(step));
        successors_.push_back({offset, successor_bytes_.size() - offset, code});
        ++transitions_;
        record_step(observer_.on_transition(from, step, to, transition), current, code, depth_ + 1);
        stop_if_all_found();
    });

    if (!has_successor) {
        record(observer_.on_terminal(from), current, depth_);
        stop_if_all_found();
    } else if (stop_ == Stop::None) {
        store_successors(current);
    }
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::store_successors(Index current)
{
    // Hash all first: each prepare() starts fetching a table slot, and the
    // fetches overlap instead of costing one memory latency per successor.
    prepared_.clear();
    const std::span<const std::byte> bytes(successor_bytes_);
    for (const Successor& successor : successors_)
        prepared_.push_back(store_.prepare(bytes.subspan(successor.offset, successor.length)));

    for (std::size_t k = 0; k < prepared_.size(); ++k) {
        if (store_.size() >= options_.max_states) {
            // Full: known states are still fine, a new one stops the search.
            if (!store_.find(prepared_[k])) {
                stop_ = Stop::States;
                return;
            }
            continue;
        }
        const auto [index, is_new] = store_.insert(prepared_[k]);
        if (!is_new)
            continue;
        tree_.add(current, successors_[k].step_code);
        deepest_ = depth_ + 1;
        // The model's successor object is gone by now; its canonical bytes
        // decode to an equal state, and only new states pay for it.
        record(observer_.on_state(model_.decode(prepared_[k].bytes())), index, depth_ + 1);
        stop_if_all_found();
        if (stop_ != Stop::None)
            return;
    }
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::shorten_by_terminals(std::size_t begin, std::size_t end)
{
    // Only terminal-ness is wanted: successors are generated but neither
    // stored nor judged, which costs less than expanding the states.
    for (std::size_t index = begin; index < end && terminal_could_shorten(); ++index) {
        const State state = model_.decode(store_.get(static_cast<Index>(index)));
        bool has_successor = false;
        model_.for_each_successor(state, [&](const Step&, const State&, const Transition&) {
            has_successor = true;
        });
        if (!has_successor)
            record(observer_.on_terminal(state), static_cast<Index>(index), depth_);
    }
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::check_clock(std::size_t current)
{
    work_until_clock_check_ = work_between_clock_checks;
    const double seconds = elapsed_seconds();
    if (seconds >= options_.max_seconds) {
        stop_ = Stop::Time;
        return;
    }
    if (options_.on_progress && seconds - last_progress_seconds_ >= options_.progress_interval_seconds) {
        last_progress_seconds_ = seconds;
        Progress progress;
        progress.states = store_.size();
        progress.transitions = transitions_;
        progress.depth = depth_;
        progress.queue_length = store_.size() - current;
        progress.seconds = seconds;
        progress.states_per_second = seconds > 0 ? static_cast<double>(store_.size()) / seconds : 0.0;
        progress.memory_bytes = bookkeeping_bytes();
        progress.peak_memory_bytes = peak_resident_bytes();
        options_.on_progress(progress);
    }
}

template <Model M, Observer<M> O>
SearchResult<M> BreadthFirstSearch<M, O>::make_result() const
{
    SearchResult<M> result;
    switch (stop_) {
    case Stop::None: result.outcome = Outcome::Exhausted; break;
    case Stop::AllFound: result.outcome = Outcome::AllFound; break;
    case Stop::Depth: result.limit = Limit::Depth; break;
    case Stop::States: result.limit = Limit::States; break;
    case Stop::Time: result.limit = Limit::Time; break;
    }
    if (result.limit != Limit::None)
        result.outcome = Outcome::LimitReached;
    // The depth limit is only reached with a non-empty level left unexpanded.
    result.depth_truncated = stop_ == Stop::Depth;
    result.findings = findings_.to_findings(tree_);
    result.stats.states = store_.size();
    result.stats.transitions = transitions_;
    result.stats.depth = deepest_;
    result.stats.seconds = elapsed_seconds();
    result.stats.peak_memory_bytes = peak_resident_bytes();
    result.stats.store_bytes = bookkeeping_bytes();
    return result;
}

} // namespace detail

/// Explores the states reachable from model.initial() level by level and
/// returns, for every finding bit the observer reported, a shortest path of
/// step codes to it. See the file comment for callbacks, order and limits.
template <Model M, Observer<M> O>
[[nodiscard]] SearchResult<M> breadth_first_search(const M& model, O& observer, const SearchOptions& options = {})
{
    return detail::BreadthFirstSearch<M, O>(model, observer, options).run();
}

} // namespace bindcheck::checker
