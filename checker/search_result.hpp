#pragma once
// What a search returns: why it stopped, the shortest path to each finding it
// met, and what it cost. Paths are step codes (Model::step_code); turning them
// back into states and events is replay's job (counterexamples/), not ours.

#include "checker/statistics.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace bindcheck::checker {

/// The first (shallowest) occurrence of one finding bit.
struct Finding {
    unsigned bit = 0;
    std::vector<std::uint32_t> steps; ///< step codes from the initial state
};

enum class Outcome {
    Exhausted,    ///< every reachable state (within max_depth, if no state was cut) was expanded
    AllFound,     ///< every stopping finding was found
    LimitReached, ///< a limit stopped the search; see Limit
};

enum class Limit { None, Depth, States, Time, Memory };

template <class M>
struct SearchResult {
    Outcome outcome = Outcome::Exhausted;
    Limit limit = Limit::None;            ///< which limit, when outcome is LimitReached
    std::vector<Finding> findings;        ///< ordered by bit, at most one per bit
    Statistics stats;
    bool depth_truncated = false;         ///< states at max_depth were left unexpanded
};

[[nodiscard]] constexpr std::string_view to_string(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Exhausted: return "exhausted";
    case Outcome::AllFound: return "all-found";
    case Outcome::LimitReached: return "limit-reached";
    }
    return "?";
}

[[nodiscard]] constexpr std::string_view to_string(Limit limit)
{
    switch (limit) {
    case Limit::None: return "none";
    case Limit::Depth: return "depth";
    case Limit::States: return "states";
    case Limit::Time: return "time";
    case Limit::Memory: return "memory";
    }
    return "?";
}

} // namespace bindcheck::checker
