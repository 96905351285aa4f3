#pragma once
// Limits and progress reporting for a search. An immutable value: cli/ fills
// it from the command line, the search only reads it.

#include "checker/statistics.hpp"
#include "checker/visited_states.hpp"

#include <cstdint>
#include <functional>
#include <limits>

namespace bindcheck::checker {

struct SearchOptions {
    /// States at this depth are stored (and judged by on_state) but not expanded.
    std::uint64_t max_depth = std::numeric_limits<std::uint64_t>::max();
    /// At most this many states are stored; needing one more stops the search.
    std::uint64_t max_states = std::numeric_limits<std::uint64_t>::max();
    /// Wall-clock budget, checked between state expansions.
    double max_seconds = std::numeric_limits<double>::infinity();
    /// Stop before the search's own allocations (visited set, parent tags or
    /// links, queue) pass this many bytes; checked between state expansions.
    std::uint64_t max_memory_bytes = std::numeric_limits<std::uint64_t>::max();
    /// How visited states are kept (visited_states.hpp).
    StoreKind store = StoreKind::Tree;
    /// Threads expanding states. Any count gives the same result (states,
    /// transitions, findings and their paths); an observer that cannot be
    /// copied, one copy per extra thread, is run on one thread.
    unsigned threads = 1;
    /// Called about every progress_interval_seconds; may be empty.
    std::function<void(const Progress&)> on_progress;
    double progress_interval_seconds = 1.0;
};

} // namespace bindcheck::checker
