#include "tests/support/run_cli.hpp"

#include <sstream>

#include "cli/app.hpp"

namespace bindcheck::testing {

CliRun run_bindcheck(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    CliRun run;
    run.code = cli::run(args, out, err);
    run.out = out.str();
    run.err = err.str();
    return run;
}

} // namespace bindcheck::testing
