#pragma once
// Limits and progress reporting for a search. An immutable value: cli/ fills
// it from the command line, the search only reads it.

#include "checker/statistics.hpp"

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
    /// Called about every progress_interval_seconds; may be empty.
    std::function<void(const Progress&)> on_progress;
    double progress_interval_seconds = 1.0;
};

} // namespace bindcheck::checker
