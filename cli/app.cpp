#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <new>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "model/model_limit.hpp"

namespace bindcheck::cli {
namespace {

void add_model_options(CLI::App& command, ModelOptions& model) {
    command.add_option("file", model.scenario_path, "scenario file (.bind)")->required();
    command.add_option("--variant", model.variant, "kernel variant: V0..V4 or an alias (v5.15, v5.16, mainline)")
        ->capture_default_str();
    command.add_option("--granularity", model.granularity,
                       "devres: interleave at every devres call (default); call: framework calls are atomic")
        ->check(CLI::IsMember({"devres", "call"}))
        ->capture_default_str();
}

} // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    CLI::App app{"bindcheck: a model checker for the Linux driver core's component framework and devres",
                 "bindcheck"};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "every command's options");

    CheckOptions check;
    CLI::App* check_cmd = app.add_subcommand("check", "explore every interleaving and check the properties");
    add_model_options(*check_cmd, check.model);
    check_cmd->add_option("--property", check.properties, "check only this property (repeatable)");
    check_cmd->add_option("--max-depth", check.max_depth, "explore at most this many steps deep");
    check_cmd->add_option("--max-states", check.max_states, "store at most this many states");
    check_cmd->add_option("--max-time", check.max_seconds, "stop after this many seconds");
    std::string format = "text";
    check_cmd->add_option("--format", format, "counterexample format")->check(CLI::IsMember({"text"}));
    check_cmd->add_option("-o,--output", check.output_path, "write the report to this file");
    check_cmd->add_flag("!--no-progress", check.progress, "no progress lines on standard error");

    SimulateOptions simulate;
    CLI::App* simulate_cmd = app.add_subcommand("simulate", "run one interleaving to the end and print its events");
    add_model_options(*simulate_cmd, simulate.model);
    auto* seed = simulate_cmd->add_option("--seed", simulate.seed, "pick enabled steps at random with this seed");
    simulate_cmd->add_option("--schedule", simulate.schedule,
                             "comma-separated steps: DRIVER[:probe|:remove|:resume][!] (! takes the failing "
                             "outcome); then continues by --seed")
        ->excludes(seed);

    std::string what;
    CLI::App* list_cmd = app.add_subcommand("list", "list variants or properties");
    list_cmd->add_option("what", what, "variants | properties")
        ->required()
        ->check(CLI::IsMember({"variants", "properties"}));

    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e, out, err); // --help
        err << "bindcheck: error: " << e.what() << "\n";
        return kBadInput;
    }
    try {
        if (check_cmd->parsed()) return check_command(check, out, err);
        if (simulate_cmd->parsed()) return simulate_command(simulate, out, err);
        return list_command(what, out, err);
    } catch (const model::ModelLimit& e) {
        err << "bindcheck: error: the scenario goes beyond a model limit: " << e.what() << "\n";
        return kBadInput;
    } catch (const std::bad_alloc&) {
        err << "bindcheck: out of memory: the search stopped without a verdict (bound it with --max-states)\n";
        return kLimitReached;
    } catch (const std::exception& e) {
        err << "bindcheck: internal error: " << e.what() << "\n";
        return kBadInput;
    }
}

} // namespace bindcheck::cli
