#pragma once
// Sizes on the command line (--max-memory 512M, 2G, 1.5G, 4096K, 100000000).

#include <cstdint>
#include <optional>
#include <string_view>

namespace bindcheck::cli {

/// Bytes in `text`: a number, optionally with a fraction, and an optional
/// binary suffix K, M, G or T (KiB, MiB, GiB, TiB; a trailing "B" or "iB"
/// is allowed). nullopt for anything else, zero or overflow.
[[nodiscard]] std::optional<std::uint64_t> parse_memory_size(std::string_view text);

/// The default memory budget of a search: 80% of the memory available when
/// it starts (MemAvailable in /proc/meminfo), leaving the rest to the
/// system; nullopt when that cannot be read.
[[nodiscard]] std::optional<std::uint64_t> default_memory_budget();

} // namespace bindcheck::cli
