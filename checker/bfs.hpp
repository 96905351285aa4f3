#pragma once
// Level-synchronous breadth-first search over any Model, judged by an
// Observer, so that every finding comes with a shortest path to it.
//
// States are numbered in the order they are stored, which is BFS order, so
// the store doubles as the queue: level d is a contiguous range of numbers.
// Per stored state the search keeps, besides the store's ~L + 25 bytes (see
// state_store.hpp), a parent number and a step code (4 + 4 bytes): about
// L + 33 bytes a state in all. Paths are rebuilt from the parent links.
//
// Shortest paths. A finding's length is depth(from) + 1 when on_transition
// reports it and depth(state) when on_state or on_terminal does. While level
// d is being expanded, transitions and newly stored states give length d + 1
// but terminal states of level d give length d, so a first-found finding can
// still be beaten by one step. The search therefore keeps, per bit, the
// first occurrence of least length, and before stopping in the middle of a
// level (all stopping findings found, or max_states hit) it asks the rest of
// that level which states are terminal. Every returned path is then a
// shortest one among all occurrences; a Limit::Time stop, which only checks
// the clock, is the one exception (a path may be one step too long).
//
// The search never prints, never exits, and is deterministic: the same
// model and observer give the same callbacks in the same order every run.

#include "checker/model_concept.hpp"
#include "checker/search_options.hpp"
#include "checker/search_result.hpp"
#include "checker/state_store.hpp"
#include "checker/statistics.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
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

    /// Where a finding bit was first met at its least length so far.
    struct Occurrence {
        std::uint64_t length = 0;
        Index state = 0;          // the path runs to this state...
        std::uint32_t step = 0;   // ...then takes this step, if via_step
        bool via_step = false;
    };

    // Read the clock only every so many units of work (expansions plus
    // transitions): now() is cheap, but not free at millions of states/s.
    static constexpr std::int64_t work_between_clock_checks = 4096;

    void store_initial();
    void expand(Index current);
    void store_successors(Index current);
    void shorten_by_terminals(std::size_t begin, std::size_t end);
    void check_clock(std::size_t current);
    void record(FindingMask mask, Index state, std::uint32_t step, bool via_step, std::uint64_t length);
    [[nodiscard]] bool all_stopping_found() const
    {
        return stopping_ != 0 && (recorded_ & stopping_) == stopping_;
    }
    [[nodiscard]] bool terminal_could_shorten() const;
    [[nodiscard]] std::vector<std::uint32_t> path_of(const Occurrence& occurrence) const;
    [[nodiscard]] std::uint64_t bookkeeping_bytes() const
    {
        return store_.memory_bytes() + (parent_.capacity() + step_code_.capacity()) * sizeof(std::uint32_t);
    }
    [[nodiscard]] double elapsed_seconds() const
    {
        return std::chrono::duration<double>(Clock::now() - start_).count();
    }
    SearchResult<M> make_result() const;

    const M& model_;
    O& observer_;
    const SearchOptions& options_;

    StateStore store_;
    std::vector<Index> parent_;            // state number -> its BFS parent (unused for 0)
    std::vector<std::uint32_t> step_code_; // state number -> step code from its parent
    // The expanded state's successors, reused from state to state so that
    // the hot loop allocates nothing once they have grown to size.
    struct Successor {
        std::size_t offset; // of its encoding in successor_bytes_
        std::size_t length;
        std::uint32_t step_code;
    };
    std::vector<std::byte> successor_bytes_;
    std::vector<Successor> successors_;
    std::vector<PreparedBytes> prepared_;

    FindingMask stopping_ = 0;
    FindingMask recorded_ = 0;
    std::array<Occurrence, 64> first_{};

    Stop stop_ = Stop::None;
    std::uint64_t depth_ = 0;   // level being expanded
    std::uint64_t deepest_ = 0; // deepest level holding a stored state
    std::uint64_t transitions_ = 0;
    Clock::time_point start_{};
    std::int64_t work_until_clock_check_ = 0; // check before the first expansion
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

    // Level d holds the states numbered [level_begin, level_end).
    std::size_t level_begin = 0;
    std::size_t level_end = store_.size();
    while (stop_ == Stop::None && level_begin < level_end) {
        if (depth_ >= options_.max_depth) {
            stop_ = Stop::Depth;
            break;
        }
        for (std::size_t current = level_begin; current < level_end; ++current) {
            if (work_until_clock_check_ <= 0) {
                check_clock(current);
                if (stop_ != Stop::None)
                    break;
            }
            expand(static_cast<Index>(current));
            if (stop_ != Stop::None) {
                shorten_by_terminals(current + 1, level_end);
                break;
            }
        }
        if (stop_ != Stop::None)
            break;
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
    parent_.push_back(0);
    step_code_.push_back(0);
    record(observer_.on_state(initial), 0, 0, false, 0);
    if (all_stopping_found())
        stop_ = Stop::AllFound;
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::expand(Index current)
{
    const State from = model_.decode(store_.get(current));
    bool has_successor = false;
    --work_until_clock_check_;
    successor_bytes_.clear();
    successors_.clear();

    // First judge every transition, keeping the targets' encodings; only then
    // look the targets up (store_successors), so that their table slots are
    // fetched from memory all at once instead of one cache miss at a time.
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
        record(observer_.on_transition(from, step, to, transition), current, code, true, depth_ + 1);
        if (all_stopping_found())
            stop_ = Stop::AllFound;
    });

    if (!has_successor) {
        record(observer_.on_terminal(from), current, 0, false, depth_);
        if (all_stopping_found())
            stop_ = Stop::AllFound;
    } else if (stop_ == Stop::None) {
        store_successors(current);
    }
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::store_successors(Index current)
{
    prepared_.clear();
    for (const Successor& successor : successors_)
        prepared_.push_back(store_.prepare(std::span(successor_bytes_).subspan(successor.offset, successor.length)));

    for (std::size_t k = 0; k < prepared_.size(); ++k) {
        if (store_.size() >= options_.max_states) {
            // Full: known states are still fine, a new one stops the search.
            if (!store_.find(prepared_[k])) {
                stop_ = Stop::States;
                return;
            }
            continue;
        }
        const auto [to_index, is_new] = store_.insert(prepared_[k]);
        if (!is_new)
            continue;
        parent_.push_back(current);
        step_code_.push_back(successors_[k].step_code);
        deepest_ = depth_ + 1;
        // The model's own successor object is gone by now; decoding its
        // canonical bytes gives an equal state, and only new states pay.
        record(observer_.on_state(model_.decode(prepared_[k].bytes())), to_index, 0, false, depth_ + 1);
        if (all_stopping_found()) {
            stop_ = Stop::AllFound;
            return;
        }
    }
}

template <Model M, Observer<M> O>
bool BreadthFirstSearch<M, O>::terminal_could_shorten() const
{
    FindingMask candidates = recorded_;
    if constexpr (DeclaresTerminalFindings<O>)
        candidates &= static_cast<FindingMask>(observer_.terminal_findings());
    for (; candidates != 0; candidates &= candidates - 1) {
        if (first_[static_cast<unsigned>(std::countr_zero(candidates))].length > depth_)
            return true;
    }
    return false;
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::shorten_by_terminals(std::size_t begin, std::size_t end)
{
    if (stop_ == Stop::Time)
        return; // out of time: leave the level as it is (see the file comment)
    // Only terminal-ness is wanted: successors are generated but neither
    // stored nor judged, so this costs less than expanding the states.
    for (std::size_t index = begin; index < end && terminal_could_shorten(); ++index) {
        const State state = model_.decode(store_.get(static_cast<Index>(index)));
        bool has_successor = false;
        model_.for_each_successor(state, [&](const Step&, const State&, const Transition&) {
            has_successor = true;
        });
        if (!has_successor)
            record(observer_.on_terminal(state), static_cast<Index>(index), 0, false, depth_);
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
void BreadthFirstSearch<M, O>::record(FindingMask mask, Index state, std::uint32_t step, bool via_step,
                                      std::uint64_t length)
{
    for (; mask != 0; mask &= mask - 1) {
        const auto bit = static_cast<unsigned>(std::countr_zero(mask));
        const FindingMask bit_mask = FindingMask{1} << bit;
        // Strictly shorter only: among equal lengths the first found stays,
        // which keeps the result deterministic.
        if ((recorded_ & bit_mask) == 0 || length < first_[bit].length) {
            first_[bit] = Occurrence{length, state, step, via_step};
            recorded_ |= bit_mask;
        }
    }
}

template <Model M, Observer<M> O>
std::vector<std::uint32_t> BreadthFirstSearch<M, O>::path_of(const Occurrence& occurrence) const
{
    std::vector<std::uint32_t> steps;
    steps.reserve(occurrence.length);
    for (Index state = occurrence.state; state != 0; state = parent_[state])
        steps.push_back(step_code_[state]);
    std::reverse(steps.begin(), steps.end());
    if (occurrence.via_step)
        steps.push_back(occurrence.step);
    return steps;
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

    for (unsigned bit = 0; bit < first_.size(); ++bit) {
        if (recorded_ & (FindingMask{1} << bit))
            result.findings.push_back(Finding{bit, path_of(first_[bit])});
    }

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
