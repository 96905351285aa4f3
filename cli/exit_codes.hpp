#pragma once
// The exit codes of every bindcheck command (design: "Command line").

namespace bindcheck::cli {

enum ExitCode : int {
    kAllHold = 0,     // every selected property holds in the explored space
    kViolation = 1,   // a violation was found (replay: the trace reproduced it)
    kBadInput = 2,    // bad input or usage
    kLimitReached = 3, // a limit stopped the search without a verdict
};

} // namespace bindcheck::cli
