#pragma once
// The bindcheck command line: parses arguments into immutable options and
// runs a command. Output goes to the given streams so tests can run it in
// process.

#include <iosfwd>
#include <string>
#include <vector>

namespace bindcheck::cli {

/// args excludes the program name. Returns the exit code (cli/exit_codes.hpp).
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace bindcheck::cli
