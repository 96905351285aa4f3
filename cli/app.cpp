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
    command.add_option("--variant", model.variant,
                       "kernel variant: V0..V4 or an alias (v5.15, v5.16, mainline), optionally followed by "
                       "+POINT=VALUE changes (bindcheck list variants)")
        ->capture_default_str();
    command.add_option("--set", model.overrides,
                       "POINT=VALUE: change one variation point of the variant (repeatable; bindcheck list variants)")
        ->allow_extra_args(false);
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
    check_cmd->add_option("--format", check.format,
                          "report format: text, dmesg (the kernel's devres log), json (for replay)")
        ->check(CLI::IsMember({"text", "dmesg", "json"}))
        ->capture_default_str();
    check_cmd->add_option("-o,--output", check.output_path, "write the report to this file");
    check_cmd->add_flag("!--no-progress", check.progress, "no progress lines on standard error");
    check_cmd->add_option("--store", check.store,
                          "how visited states are kept: tree (exact, equal parts shared), exact (whole "
                          "encodings), hash-compact (64-bit fingerprints only)")
        ->check(CLI::IsMember({"tree", "exact", "hash-compact"}))
        ->capture_default_str();
    check_cmd->add_flag_callback("--hash-compact", [&check] { check.store = "hash-compact"; },
                                 "keep only 64-bit fingerprints of states (--store hash-compact): a state may "
                                 "be missed, with at most the probability the report prints");
    check_cmd->add_option("--threads", check.threads, "threads expanding states (the result is the same for any count)")
        ->check(CLI::Range(1U, 256U))
        ->capture_default_str();
    check_cmd->add_option("--max-memory", check.max_memory,
                          "stop before the search holds more than SIZE (512M, 2G, ...; default: 80% of the "
                          "memory available at start)");
    check_cmd->add_flag("!--no-por", check.partial_order,
                        "no partial-order reduction: store every interleaving's states");
    check_cmd->add_flag("!--no-symmetry", check.symmetry,
                        "no symmetry reduction: store states that differ only by interchangeable drivers apart");

    CompareOptions compare;
    CLI::App* compare_cmd = app.add_subcommand(
        "compare", "check every scenario under every variant and granularity and print the verdict matrix");
    compare_cmd->add_option("files", compare.scenario_paths, "scenario files (.bind)")->required();
    compare_cmd->add_option("--variants", compare.variants,
                            "comma-separated variant specs, e.g. V1,V2,V2+close_after_bind=absent")
        ->capture_default_str();
    compare_cmd->add_option("--set", compare.overrides, "POINT=VALUE: change a variation point of every variant (repeatable)")
        ->allow_extra_args(false);
    compare_cmd->add_option("--property", compare.search.properties, "only this property (repeatable)")
        ->allow_extra_args(false);
    compare_cmd->add_option("--granularity", compare.granularity, "devres, call, or both")
        ->check(CLI::IsMember({"devres", "call", "both"}))
        ->capture_default_str();
    compare_cmd->add_option("--format", compare.format, "text (80 columns), md (Markdown tables), json")
        ->check(CLI::IsMember({"text", "md", "json"}))
        ->capture_default_str();
    compare_cmd->add_option("--traces", compare.traces_dir,
                            "write each counterexample to DIR/SCENARIO.VARIANT.GRANULARITY.PROPERTY.txt (or .json)");
    compare_cmd->add_option("--trace-format", compare.trace_format, "trace files as text or json (for replay)")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    compare_cmd->add_option("--max-depth", compare.search.max_depth, "explore each run at most this many steps deep");
    compare_cmd->add_option("--max-states", compare.search.max_states, "store at most this many states per run");
    compare_cmd->add_option("--max-time", compare.search.max_seconds, "stop each run after this many seconds");
    compare_cmd->add_option("--max-memory", compare.search.max_memory, "stop a run before it holds more than SIZE");
    compare_cmd->add_flag("!--no-por", compare.search.partial_order, "no partial-order reduction");
    compare_cmd->add_flag("!--no-symmetry", compare.search.symmetry, "no symmetry reduction");
    compare_cmd->add_flag("!--no-progress", compare.search.progress, "no progress lines on standard error");
    compare_cmd->footer("Cells: holds, the shortest counterexample's length, or limit (a limit stopped that run "
                        "first). Exit code: 0 the matrix is complete (whatever its verdicts), 3 some run hit a "
                        "limit, 2 bad input. docs/compare.md describes the formats.");

    SimulateOptions simulate;
    CLI::App* simulate_cmd = app.add_subcommand("simulate", "run one interleaving to the end and print its events");
    add_model_options(*simulate_cmd, simulate.model);
    auto* seed = simulate_cmd->add_option("--seed", simulate.seed, "pick enabled steps at random with this seed");
    simulate_cmd->add_option("--schedule", simulate.schedule,
                             "comma-separated steps: DRIVER[:probe|:remove|:resume][!] (! takes the failing "
                             "outcome); then continues by --seed")
        ->excludes(seed);

    ReplayOptions replay;
    CLI::App* replay_cmd =
        app.add_subcommand("replay", "re-execute a JSON trace written by check --format json and compare its events");
    replay_cmd->add_option("trace", replay.trace_path, "trace file (.json)")->required();
    replay_cmd->add_option("--scenario", replay.scenario_path, "scenario file instead of the path the trace records");
    replay_cmd->add_option("--property", replay.property, "replay only the trace of this property");

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
        if (compare_cmd->parsed()) return compare_command(compare, out, err);
        if (replay_cmd->parsed()) return replay_command(replay, out, err);
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
