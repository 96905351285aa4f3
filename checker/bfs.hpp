#pragma once
// Level-synchronous breadth-first search over any Model, judged by an
// Observer, so that every finding comes with a shortest path to it.
//
// States are numbered in the order they are stored, which is BFS order, so
// a store that can read states back doubles as the queue: level d is a
// contiguous range of numbers. Memory per stored state: the visited set's
// (visited_states.hpp: tree, exact or hash-compact), plus 1 byte where the
// store can read states back: returned paths are rebuilt by scanning the
// levels again, guided by a tag of each state's parent (first_parents.hpp).
// A hash-compact search cannot read states back, so it keeps 5 bytes of
// parent links a state (parent_links.hpp), and the encodings of the current
// and the next level.
//
// Threads (SearchOptions::threads > 1): a level is cut into rounds, a round
// into blocks of a few dozen states. The threads take blocks in turn (in
// increasing order, each as it is free, so that uneven blocks even out) and
// expand them: decode, successors, encode, the first half of each insertion
// (VisitedStates::prepare: for the tree store, interning all but the top
// pair), and the callbacks, on the thread's own copy of the observer:
// on_transition, on_terminal, and on_state for each successor that looked
// new, unless the same thread met that state just before (it will then
// have been stored by the time this one is committed). Then one thread
// commits the round's blocks in state order (records the answers, inserts
// the top pairs, numbers new states): the only part that runs alone, and,
// where the store allows it (inserts_while_reading), while the other
// threads expand the next round of the same level. The batches of two
// rounds are kept (a few MiB for the tree store, which needs only the
// successors' keys; more for the others, which need their bytes).
// Numbering and findings are then the same as with one thread, which
// instead expands and commits state by state, calling the callbacks in
// exactly the order described below. A copy sees its calls in that order
// too, but only for its blocks; so results agree when an observer's
// answers depend only on the arguments, or when, like
// properties::PropertyObserver, it only leaves out bits it has reported
// before and on_terminal never reports a bit the other callbacks report.
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
// max_memory_bytes: checked with max_seconds; the state that was being
// expanded is left for later, as with a time limit (Limit::Memory). Running
// out of memory while storing (std::bad_alloc) stops the same way.
//
// The search never prints, never exits, and is deterministic: the same model
// and observer get the same callbacks in the same order every run (with
// several threads: the same calls on the given observer and the same result).

#include "checker/exact_store.hpp"
#include "checker/fingerprint_store.hpp"
#include "checker/first_parents.hpp"
#include "checker/model_concept.hpp"
#include "checker/parent_links.hpp"
#include "checker/search_options.hpp"
#include "checker/search_result.hpp"
#include "checker/shortest_findings.hpp"
#include "checker/statistics.hpp"
#include "checker/tree_store.hpp"
#include "checker/visited_states.hpp"
#include "checker/worker_pool.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

namespace bindcheck::checker {

namespace detail {

[[nodiscard]] inline std::unique_ptr<VisitedStates> make_store(StoreKind kind)
{
    switch (kind) {
    case StoreKind::Exact: return std::make_unique<ExactStore>();
    case StoreKind::HashCompact: return std::make_unique<FingerprintStore>();
    case StoreKind::Tree: break;
    }
    return std::make_unique<TreeStore>();
}

/// The encodings of one BFS level, for a store that cannot read states back.
class LevelQueue {
public:
    void push(std::span<const std::byte> bytes)
    {
        bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
        ends_.push_back(bytes_.size());
    }
    [[nodiscard]] std::span<const std::byte> at(std::size_t position) const
    {
        const std::size_t begin = position == 0 ? 0 : ends_[position - 1];
        return std::span<const std::byte>(bytes_).subspan(begin, ends_[position] - begin);
    }
    void clear()
    {
        // Give the memory back: a level can be a large part of the search.
        std::vector<std::byte>().swap(bytes_);
        std::vector<std::size_t>().swap(ends_);
    }
    [[nodiscard]] std::size_t memory_bytes() const noexcept
    {
        return bytes_.capacity() + ends_.capacity() * sizeof(std::size_t);
    }

private:
    std::vector<std::byte> bytes_;
    std::vector<std::size_t> ends_;
};

/// How a search on several threads cuts its levels; tests make the pieces
/// tiny (and the store collide) so that every path is taken.
struct ParallelTuning {
    std::size_t states_per_block = 32;
    std::size_t states_per_thread_round = 1024;
    /// Replaces the store SearchOptions::store names.
    std::function<std::unique_ptr<VisitedStates>()> make_store;
};

/// Remembers recently seen 64-bit keys, a few thousand, direct-mapped: a
/// cheap, lossy answer to "did this thread just meet this state?".
class RecentKeys {
public:
    /// Whether `key` was seen recently; remembers it either way.
    bool repeat(std::uint64_t key)
    {
        if (key == empty)
            return false;
        if (slots_.empty())
            slots_.assign(slot_count, empty);
        std::uint64_t& slot = slots_[mix64(key) & (slot_count - 1)];
        const bool seen = slot == key;
        slot = key;
        return seen;
    }

private:
    static constexpr std::uint64_t empty = ~std::uint64_t{0};
    static constexpr std::size_t slot_count = 8192; // a power of two; 64 KiB
    std::vector<std::uint64_t> slots_;
};

template <Model M, Observer<M> O>
class BreadthFirstSearch {
public:
    BreadthFirstSearch(const M& model, O& observer, const SearchOptions& options, const ParallelTuning& tuning = {})
        : model_(model), observer_(observer), options_(options),
          store_(tuning.make_store ? tuning.make_store() : make_store(options.store)),
          states_per_block_(std::max<std::size_t>(1, tuning.states_per_block)),
          states_per_thread_round_(std::max<std::size_t>(1, tuning.states_per_thread_round))
    {
    }

    SearchResult<M> run();

private:
    using State = typename M::State;
    using Step = typename M::Step;
    using Transition = typename M::Transition;
    using Index = VisitedStates::Index;
    using Clock = std::chrono::steady_clock;

    enum class Stop { None, AllFound, Depth, States, Time, Memory };

    /// A successor of an expanded state, waiting to be committed.
    struct Successor {
        std::uint32_t bytes_offset; // in its Batch: a few dozen states' successors
        std::uint32_t bytes_length;
        std::uint32_t ends_offset;
        std::uint32_t ends_length;
        std::uint32_t step_code;
        std::uint32_t ordinal;  // its place in the model's enumeration
        FindingMask mask;       // on_transition's answer (threads > 1)
        VisitedStates::Lookup lookup;
        // threads > 1: on_state's answer, asked by the expanding thread when
        // the state looked new (it may still turn out stored by the commit).
        bool state_judged;
        FindingMask state_mask;
        // threads > 1: the expanding thread met this state earlier in the
        // round, so it is stored (or the search stopped) before this commits.
        bool duplicate;
    };

    /// An expanded state and where its successors are in its Batch.
    struct Expanded {
        Index state;
        std::size_t first_successor;
        std::size_t successor_count;
        bool terminal;
        FindingMask terminal_mask; // threads > 1
    };

    // Threads write their own Batch, Expander and observer copy all the time;
    // kept on cache lines of their own (two, as the hardware prefetches pairs)
    // so that one thread's writes do not take lines away from the other.
    static constexpr std::size_t no_sharing_alignment = 128;

    /// What expanding a block of states produced; reused from round to
    /// round, so the hot loop allocates nothing once these have grown.
    struct alignas(no_sharing_alignment) Batch {
        std::vector<std::byte> bytes;
        std::vector<std::uint32_t> ends;
        std::vector<Successor> successors;
        std::vector<Expanded> expanded;
        void clear()
        {
            bytes.clear();
            ends.clear();
            successors.clear();
            expanded.clear();
        }
        [[nodiscard]] EncodedState encoded(const Successor& s) const
        {
            return {std::span<const std::byte>(bytes).subspan(s.bytes_offset, s.bytes_length),
                    std::span<const std::uint32_t>(ends).subspan(s.ends_offset, s.ends_length)};
        }
    };

    /// What one thread keeps from block to block.
    struct alignas(no_sharing_alignment) Expander {
        O* observer = nullptr;
        StoredState base;            // the state being expanded, as stored
        std::optional<State> from;   // and decoded (scratch)
        std::optional<State> judged; // a successor given to on_state (decode scratch)
        RecentKeys seen;             // successors that looked new (threads > 1)
    };

    // Read the clock only every so many units of work (expansions plus
    // transitions): now() is cheap, but not free at millions of states/s.
    static constexpr std::int64_t work_between_clock_checks = 4096;

    void store_initial();
    void run_level_alone(std::size_t level_begin, std::size_t level_end);
    void run_level_together(WorkerPool& pool, std::size_t level_begin, std::size_t level_end);
    void commit_round(std::vector<Batch>& batches, std::size_t blocks, std::size_t round_begin,
                      std::size_t level_begin, std::size_t level_end);
    void read_state(Index state, std::size_t level_begin, StoredState& out) const;
    void encode(const State& state, Batch& batch) const;
    const State& decode(std::span<const std::byte> bytes, std::optional<State>& scratch) const;
    void expand(Batch& batch, Expander& expander, Index current, std::size_t level_begin, bool judge_now);
    void commit(Batch& batch, const Expanded& expanded, bool judged);
    void store_successors(Batch& batch, const Expanded& expanded, const StoredState* base);
    void shorten_by_terminals(std::size_t begin, std::size_t end, std::size_t level_begin);
    void check_limits(std::size_t current);
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
    [[nodiscard]] std::uint64_t bookkeeping_bytes() const
    {
        return store_->memory_bytes() + links_.memory_bytes() + tags_.memory_bytes() + current_level_.memory_bytes() +
               next_level_.memory_bytes();
    }
    [[nodiscard]] double elapsed_seconds() const
    {
        return std::chrono::duration<double>(Clock::now() - start_).count();
    }
    [[nodiscard]] std::vector<std::uint32_t> steps_to(Index state) const;
    [[nodiscard]] SearchResult<M> make_result() const;

    const M& model_;
    O& observer_;
    const SearchOptions& options_;

    std::unique_ptr<VisitedStates> store_;
    ParentLinks links_;                    // only when the store cannot read states back
    ParentTags tags_;                      // only when it can
    std::vector<std::size_t> level_starts_; // level d: states [level_starts_[d], level_starts_[d + 1])
    LevelQueue current_level_; // only when the store cannot read states back
    LevelQueue next_level_;
    ShortestFindings findings_;
    FindingMask stopping_ = 0;
    unsigned threads_ = 1;

    std::size_t states_per_block_;
    std::size_t states_per_thread_round_;
    // Threads > 1: the round being expanded and the one being committed
    // (while the next is expanded, where the store allows); one thread uses
    // batches_[0][0].
    std::array<std::vector<Batch>, 2> batches_;
    std::atomic<bool> abandon_{false}; // the commit stopped the search
    std::vector<Expander> expanders_;
    struct alignas(no_sharing_alignment) ObserverCopy {
        O observer;
    };
    std::vector<ObserverCopy> observer_copies_;

    Stop stop_ = Stop::None;
    std::uint64_t depth_ = 0;   // level being expanded
    std::uint64_t deepest_ = 0; // deepest level holding a stored state
    std::uint64_t transitions_ = 0;
    Clock::time_point start_{};
    std::int64_t work_until_clock_check_ = 0; // so the limits are checked before the first expansion
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
    if constexpr (std::copy_constructible<O>)
        threads_ = std::max(1U, options_.threads);
    batches_[0].resize(1);
    expanders_.resize(threads_);
    expanders_[0].observer = &observer_;
    if constexpr (std::copy_constructible<O>) {
        // Copies judge the transitions of threads > 1; made before anything
        // is judged, so that every copy starts as the observer did.
        observer_copies_.reserve(threads_);
        for (unsigned w = 0; w < threads_ && threads_ > 1; ++w)
            observer_copies_.push_back(ObserverCopy{observer_});
        for (unsigned w = 0; w < threads_ && threads_ > 1; ++w)
            expanders_[w].observer = &observer_copies_[w].observer;
    }
    std::optional<WorkerPool> pool;
    if (threads_ > 1)
        pool.emplace(threads_);

    try {
        store_initial();
        // Level depth_ holds the states numbered [level_begin, level_end).
        std::size_t level_begin = 0;
        std::size_t level_end = store_->size();
        level_starts_ = {level_begin, level_end};
        while (stop_ == Stop::None && level_begin < level_end) {
            if (depth_ >= options_.max_depth) {
                stop_ = Stop::Depth;
                break;
            }
            if (pool)
                run_level_together(*pool, level_begin, level_end);
            else
                run_level_alone(level_begin, level_end);
            level_begin = level_end;
            level_end = store_->size();
            std::swap(current_level_, next_level_);
            next_level_.clear();
            ++depth_;
            level_starts_.push_back(level_end);
        }
    } catch (const std::bad_alloc&) {
        // Out of memory while storing: what is stored stays consistent (see
        // store_successors), so stop as a memory limit would.
        stop_ = Stop::Memory;
    }
    return make_result();
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::store_initial()
{
    Batch& batch = batches_[0][0];
    batch.clear();
    const State initial = model_.initial();
    encode(initial, batch);
    const EncodedState encoded{batch.bytes, batch.ends};
    if (store_->keeps_states())
        tags_.reserve_one();
    else
        links_.reserve_one();
    store_->insert(encoded);
    if (store_->keeps_states())
        tags_.add(0);
    else
        links_.add(0, 0);
    if (!store_->keeps_states())
        current_level_.push(encoded.bytes);
    record(observer_.on_state(initial), 0, 0);
    stop_if_all_found();
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::encode(const State& state, Batch& batch) const
{
    if constexpr (SegmentedEncoding<M>) {
        model_.encode_segments(state, batch.bytes, batch.ends);
    } else {
        model_.encode(state, batch.bytes);
    }
}

template <Model M, Observer<M> O>
auto BreadthFirstSearch<M, O>::decode(std::span<const std::byte> bytes, std::optional<State>& scratch) const
    -> const State&
{
    if constexpr (DecodesInPlace<M>) {
        if (scratch) {
            model_.decode_into(bytes, *scratch);
            return *scratch;
        }
    }
    scratch.emplace(model_.decode(bytes));
    return *scratch;
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::read_state(Index state, std::size_t level_begin, StoredState& out) const
{
    if (store_->keeps_states()) {
        store_->read(state, out);
        return;
    }
    const auto bytes = current_level_.at(state - level_begin);
    out.bytes.assign(bytes.begin(), bytes.end());
    out.segment_ends.assign(1, static_cast<std::uint32_t>(bytes.size()));
    out.nodes.clear();
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::run_level_alone(std::size_t level_begin, std::size_t level_end)
{
    Batch& batch = batches_[0][0];
    Expander& expander = expanders_[0];
    for (std::size_t current = level_begin; current < level_end && stop_ == Stop::None; ++current) {
        if (work_until_clock_check_ <= 0) {
            check_limits(current);
            if (stop_ != Stop::None)
                break;
        }
        batch.clear();
        expand(batch, expander, static_cast<Index>(current), level_begin, true);
        commit(batch, batch.expanded.front(), true);
        if (stop_ == Stop::AllFound || stop_ == Stop::States)
            shorten_by_terminals(current + 1, level_end, level_begin);
    }
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::run_level_together(WorkerPool& pool, std::size_t level_begin, std::size_t level_end)
{
    // Where the store takes insertions while other threads read, thread 0
    // commits round r while the others start on round r + 1, then joins
    // them: the commit, the one part that runs alone, costs no wall time
    // but at the end of a level (whose successors the next level needs).
    const bool overlap = store_->inserts_while_reading();
    // A state that looked new to an expanding thread but was stored by the
    // overlapping commit is found again when its own round commits.
    const std::size_t round = states_per_thread_round_ * threads_;
    unsigned filling = 0;
    std::size_t pending_blocks = 0; // blocks of the round waiting in batches_[filling ^ 1]
    std::size_t pending_begin = 0;
    for (std::size_t round_begin = level_begin; round_begin < level_end && stop_ == Stop::None;
         round_begin += round) {
        check_limits(round_begin);
        if (stop_ != Stop::None)
            break;
        const std::size_t round_end = std::min(level_end, round_begin + round);
        const std::size_t blocks = (round_end - round_begin + states_per_block_ - 1) / states_per_block_;
        std::vector<Batch>& batches = batches_[filling];
        if (batches.size() < blocks)
            batches.resize(blocks);
        // Each thread takes the next block when it is free; it sees its own
        // blocks in increasing order, as its observer copy must.
        std::atomic<std::size_t> next_block{0};
        pool.run([&](unsigned w) {
            if (w == 0 && pending_blocks > 0)
                commit_round(batches_[filling ^ 1], pending_blocks, pending_begin, level_begin, level_end);
            Expander& expander = expanders_[w];
            for (std::size_t b = next_block.fetch_add(1, std::memory_order_relaxed);
                 b < blocks && !abandon_.load(std::memory_order_relaxed);
                 b = next_block.fetch_add(1, std::memory_order_relaxed)) {
                Batch& batch = batches[b];
                batch.clear();
                const std::size_t begin = round_begin + b * states_per_block_;
                const std::size_t end = std::min(round_end, begin + states_per_block_);
                for (std::size_t current = begin; current < end; ++current)
                    expand(batch, expander, static_cast<Index>(current), level_begin, false);
            }
        });
        pending_blocks = 0;
        if (overlap && stop_ == Stop::None) {
            pending_blocks = blocks;
            pending_begin = round_begin;
            filling ^= 1;
        } else if (stop_ == Stop::None) {
            commit_round(batches, blocks, round_begin, level_begin, level_end);
        }
    }
    if (pending_blocks > 0 && stop_ == Stop::None)
        commit_round(batches_[filling ^ 1], pending_blocks, pending_begin, level_begin, level_end);
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::commit_round(std::vector<Batch>& batches, std::size_t blocks, std::size_t round_begin,
                                            std::size_t level_begin, std::size_t level_end)
{
    // In state order: block 0 holds the round's first states, and so on.
    std::size_t current = round_begin;
    for (std::size_t b = 0; b < blocks && stop_ == Stop::None; ++b) {
        for (const Expanded& expanded : batches[b].expanded) {
            if (stop_ != Stop::None)
                break;
            commit(batches[b], expanded, false);
            ++current;
            if (stop_ == Stop::AllFound || stop_ == Stop::States)
                shorten_by_terminals(current, level_end, level_begin);
        }
    }
    if (stop_ != Stop::None)
        abandon_.store(true, std::memory_order_relaxed); // the other threads' work is not needed
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::expand(Batch& batch, Expander& expander, Index current, std::size_t level_begin,
                                      bool judge_now)
{
    // judge_now (one thread): findings are recorded as they are met, and the
    // model's remaining steps are ignored once the search must stop; else
    // the masks wait in the Batch for commit().
    StoredState& base = expander.base;
    read_state(current, level_begin, base);
    const State& from = decode(base.bytes, expander.from);
    Expanded expanded{current, batch.successors.size(), 0, false, 0};
    std::uint32_t ordinal = 0;
    if (judge_now)
        --work_until_clock_check_; // one thread only: the counter is not shared

    model_.for_each_successor(from, [&](const Step& step, const State& to, const Transition& transition) {
        const std::uint32_t my_ordinal = ordinal++;
        if (judge_now && stop_ != Stop::None)
            return; // the model cannot be interrupted; ignore its remaining steps
        Successor successor{static_cast<std::uint32_t>(batch.bytes.size()), 0,
                            static_cast<std::uint32_t>(batch.ends.size()), 0, 0, my_ordinal, 0, {}, false, 0, false};
        encode(to, batch);
        successor.bytes_length = static_cast<std::uint32_t>(batch.bytes.size() - successor.bytes_offset);
        successor.ends_length = static_cast<std::uint32_t>(batch.ends.size() - successor.ends_offset);
        successor.step_code = static_cast<std::uint32_t>(model_.step_code(step));
        successor.mask = expander.observer->on_transition(from, step, to, transition);
        if (judge_now) {
            --work_until_clock_check_;
            ++transitions_;
            record_step(successor.mask, current, successor.step_code, depth_ + 1);
            stop_if_all_found();
        }
        batch.successors.push_back(successor);
    });
    expanded.successor_count = batch.successors.size() - expanded.first_successor;
    if (ordinal == 0) {
        expanded.terminal = true;
        expanded.terminal_mask = expander.observer->on_terminal(from);
        if (judge_now) {
            record(expanded.terminal_mask, current, depth_);
            stop_if_all_found();
        }
    } else if (!judge_now) {
        // The first half of each insertion, while other threads do theirs.
        for (std::size_t k = 0; k < expanded.successor_count; ++k) {
            Successor& successor = batch.successors[expanded.first_successor + k];
            const EncodedState encoded = batch.encoded(successor);
            successor.lookup = store_->prepare(encoded, &base);
            if (successor.lookup.found)
                continue;
            if (successor.lookup.key_complete && expander.seen.repeat(successor.lookup.key)) {
                successor.duplicate = true;
                continue;
            }
            // Judged here, after all of this state's transitions, as one
            // thread would: the commit then only records the answer.
            successor.state_mask = expander.observer->on_state(decode(encoded.bytes, expander.judged));
            successor.state_judged = true;
        }
        // The commit needs no more than complete keys (and, for a store
        // that cannot read states back, the bytes of the next level): the
        // bytes can go, which keeps a round's batches small.
        const Successor* first = batch.successors.data() + expanded.first_successor;
        const bool keys_suffice = store_->keeps_states() &&
                                  std::all_of(first, first + expanded.successor_count,
                                              [](const Successor& s) { return s.lookup.key_complete; });
        if (keys_suffice) {
            batch.bytes.resize(first->bytes_offset);
            batch.ends.resize(first->ends_offset);
            for (std::size_t k = 0; k < expanded.successor_count; ++k) {
                Successor& successor = batch.successors[expanded.first_successor + k];
                successor.bytes_offset = first->bytes_offset;
                successor.ends_offset = first->ends_offset;
                successor.bytes_length = 0;
                successor.ends_length = 0;
            }
        }
    }
    batch.expanded.push_back(expanded);
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::commit(Batch& batch, const Expanded& expanded, bool judged)
{
    if (!judged) {
        if (expanded.terminal) {
            record(expanded.terminal_mask, expanded.state, depth_);
            stop_if_all_found();
            return;
        }
        for (std::size_t k = 0; k < expanded.successor_count && stop_ == Stop::None; ++k) {
            const Successor& successor = batch.successors[expanded.first_successor + k];
            ++transitions_;
            record_step(successor.mask, expanded.state, successor.step_code, depth_ + 1);
            stop_if_all_found();
        }
    }
    // One thread: the expanded state is still at hand, and its tree nodes
    // save most of the insertions' work. Threads > 1: keys are complete or
    // the store has no use for it.
    const StoredState* base = judged && store_->keeps_states() ? &expanders_[0].base : nullptr;
    if (!expanded.terminal && stop_ == Stop::None)
        store_successors(batch, expanded, base);
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::store_successors(Batch& batch, const Expanded& expanded, const StoredState* base)
{
    for (std::size_t k = 0; k < expanded.successor_count; ++k) {
        Successor& successor = batch.successors[expanded.first_successor + k];
        const EncodedState encoded = batch.encoded(successor);
        if (successor.lookup.found || successor.duplicate)
            continue;
        if (store_->size() >= options_.max_states) {
            // Full: known states are still fine, a new one stops the search.
            // (A lookup made before this round's insertions may have missed
            // a state stored since, so ask again.)
            if (store_->contains(encoded, successor.lookup, base))
                continue;
            stop_ = Stop::States;
            return;
        }
        // Room for the link first: once the state is stored, nothing may fail.
        const bool tags = store_->keeps_states();
        if (tags)
            tags_.reserve_one();
        else
            links_.reserve_one();
        const auto [index, is_new] = store_->insert(encoded, successor.lookup, base);
        if (!is_new)
            continue;
        if (tags)
            tags_.add(expanded.state);
        else
            links_.add(expanded.state, successor.ordinal);
        deepest_ = depth_ + 1;
        if (!store_->keeps_states())
            next_level_.push(encoded.bytes);
        // The model's successor object is gone by now; its canonical bytes
        // decode to an equal state, and only new states pay for it.
        const FindingMask mask = successor.state_judged
                                     ? successor.state_mask
                                     : observer_.on_state(decode(encoded.bytes, expanders_[0].judged));
        record(mask, index, depth_ + 1);
        stop_if_all_found();
        if (stop_ != Stop::None)
            return;
    }
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::shorten_by_terminals(std::size_t begin, std::size_t end, std::size_t level_begin)
{
    // Only terminal-ness is wanted: successors are generated but neither
    // stored nor judged, which costs less than expanding the states.
    StoredState stored;
    for (std::size_t index = begin; index < end && terminal_could_shorten(); ++index) {
        read_state(static_cast<Index>(index), level_begin, stored);
        const State state = model_.decode(stored.bytes);
        bool has_successor = false;
        model_.for_each_successor(state, [&](const Step&, const State&, const Transition&) {
            has_successor = true;
        });
        if (!has_successor)
            record(observer_.on_terminal(state), static_cast<Index>(index), depth_);
    }
}

template <Model M, Observer<M> O>
void BreadthFirstSearch<M, O>::check_limits(std::size_t current)
{
    // Called while no other thread runs: what the store kept for readers
    // on other threads can go.
    store_->reclaim();
    work_until_clock_check_ = work_between_clock_checks;
    const double seconds = elapsed_seconds();
    if (seconds >= options_.max_seconds) {
        stop_ = Stop::Time;
        return;
    }
    if (bookkeeping_bytes() >= options_.max_memory_bytes) {
        stop_ = Stop::Memory;
        return;
    }
    if (options_.on_progress && seconds - last_progress_seconds_ >= options_.progress_interval_seconds) {
        last_progress_seconds_ = seconds;
        Progress progress;
        progress.states = store_->size();
        progress.transitions = transitions_;
        progress.depth = depth_;
        progress.queue_length = store_->size() - current;
        progress.seconds = seconds;
        progress.states_per_second = seconds > 0 ? static_cast<double>(store_->size()) / seconds : 0.0;
        progress.memory_bytes = bookkeeping_bytes();
        progress.peak_memory_bytes = peak_resident_bytes();
        options_.on_progress(progress);
    }
}

template <Model M, Observer<M> O>
std::vector<std::uint32_t> BreadthFirstSearch<M, O>::steps_to(Index state) const
{
    // Replays the ordinals from the initial state: the ordinal-th successor
    // of each state on the path is the next one, and its step is the code.
    std::vector<std::uint32_t> steps;
    std::optional<State> at;
    at.emplace(model_.initial());
    for (const std::uint32_t wanted : links_.ordinals_to(state)) {
        std::optional<State> next;
        std::uint32_t ordinal = 0;
        model_.for_each_successor(*at, [&](const Step& step, const State& to, const Transition&) {
            if (ordinal++ == wanted) {
                steps.push_back(static_cast<std::uint32_t>(model_.step_code(step)));
                next.emplace(to);
            }
        });
        if (!next)
            throw std::logic_error("breadth_first_search: the model's successors changed between runs");
        at.swap(next);
    }
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
    case Stop::Memory: result.limit = Limit::Memory; break;
    }
    if (result.limit != Limit::None)
        result.outcome = Outcome::LimitReached;
    // The depth limit is only reached with a non-empty level left unexpanded.
    result.depth_truncated = stop_ == Stop::Depth;
    if (store_->keeps_states()) {
        const std::vector<Index> targets = findings_.states();
        const auto parents = find_first_parents(model_, *store_, tags_, level_starts_, targets);
        result.findings = findings_.to_findings([&parents](Index state) { return steps_through(parents, state); });
    } else {
        result.findings = findings_.to_findings([this](Index state) { return steps_to(state); });
    }
    result.stats.states = store_->size();
    result.stats.transitions = transitions_;
    result.stats.depth = deepest_;
    result.stats.seconds = elapsed_seconds();
    result.stats.peak_memory_bytes = peak_resident_bytes();
    result.stats.store_bytes = bookkeeping_bytes();
    result.stats.omission_probability = store_->omission_probability();
    result.stats.threads = threads_;
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

namespace detail {
/// breadth_first_search with the pieces of a threaded search cut to size
/// (for tests).
template <Model M, Observer<M> O>
[[nodiscard]] SearchResult<M> breadth_first_search_tuned(const M& model, O& observer, const SearchOptions& options,
                                                         const ParallelTuning& tuning)
{
    return BreadthFirstSearch<M, O>(model, observer, options, tuning).run();
}
} // namespace detail

} // namespace bindcheck::checker
