#pragma once
// What a search did and what it cost: the final tally (Statistics) and the
// periodic snapshot handed to a progress callback (Progress). Plain values,
// so cli/ decides how to print them and the search never prints.

#include <cstdint>

namespace bindcheck::checker {

/// The tally of a finished (or stopped) search.
struct Statistics {
    std::uint64_t states = 0;            ///< distinct states stored
    std::uint64_t transitions = 0;       ///< transitions generated, including those to known states
    std::uint64_t depth = 0;             ///< deepest BFS level holding a stored state
    double seconds = 0.0;                ///< wall-clock time of the search
    std::uint64_t peak_memory_bytes = 0; ///< peak resident set of the whole process
    std::uint64_t store_bytes = 0;       ///< visited set plus per-state parent tags or links
    /// Hash compaction only: a bound on the probability that a state was
    /// missed (visited_states.hpp); 0 for an exact store.
    double omission_probability = 0.0;
    unsigned threads = 1;                ///< threads that expanded states
};

/// A snapshot during a search, for progress lines on stderr.
struct Progress {
    std::uint64_t states = 0;
    std::uint64_t transitions = 0;
    std::uint64_t depth = 0;             ///< level being expanded
    std::uint64_t queue_length = 0;      ///< stored states not expanded yet
    double seconds = 0.0;
    double states_per_second = 0.0;
    std::uint64_t memory_bytes = 0;      ///< what the search holds (as Statistics::store_bytes)
    std::uint64_t peak_memory_bytes = 0; ///< peak resident set of the whole process
};

/// Peak resident set size of this process in bytes (getrusage's ru_maxrss,
/// else /proc/self/status VmHWM), 0 if neither is available.
[[nodiscard]] std::uint64_t peak_resident_bytes();

} // namespace bindcheck::checker
