#pragma once
// The scenario language front end: .bind text -> Scenario, or one Diagnostic.
// The grammar and the messages are documented in docs/scenario-language.md.

#include "model/scenario.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace bindcheck::model {

/// One error in a scenario file: where it is and what was expected.
struct Diagnostic {
    std::string file;
    int line = 0;   // 1-based; 0 when the error concerns the whole file (it cannot be read)
    int column = 0; // 1-based, in bytes
    std::string message;

    /// "FILE:LINE:COL: error: MESSAGE", or "FILE: error: MESSAGE" when line == 0.
    [[nodiscard]] std::string to_string() const;
};

using ParseResult = std::variant<Scenario, Diagnostic>;

/// Parses and checks a whole scenario. `path` is only used in messages and is
/// stored in Scenario::path. Never throws; stops at the first error.
[[nodiscard]] ParseResult parse_scenario(std::string_view text, std::string path);

/// Reads `path` and parses it. An unreadable file gives
/// Diagnostic{path, 0, 0, "cannot read file: <strerror>"}. Never throws.
[[nodiscard]] ParseResult load_scenario(const std::string& path);

} // namespace bindcheck::model
