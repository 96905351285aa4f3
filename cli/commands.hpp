#pragma once
// One function per subcommand; app.cpp parses the command line into these
// option values.

#include <cstdint>
#include <iosfwd>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace bindcheck::cli {

struct ModelOptions {
    std::string scenario_path;
    std::string variant = "mainline"; // a variant spec: PRESET{+POINT=VALUE}
    std::vector<std::string> overrides; // --set POINT=VALUE, applied after the variant's own
    std::string granularity = "devres";
};

struct CheckOptions {
    ModelOptions model;
    std::vector<std::string> properties; // empty: all
    std::uint64_t max_depth = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t max_states = std::numeric_limits<std::uint64_t>::max();
    double max_seconds = std::numeric_limits<double>::infinity();
    std::string output_path; // empty: standard output
    std::string format = "text"; // text | dmesg | json (docs/trace-dmesg.md, docs/trace-json.md)
    bool progress = true;
    bool partial_order = true; // --no-por: explore every interleaving
    bool symmetry = true;      // --no-symmetry: store states of interchangeable drivers apart
    std::string store = "tree"; // --store tree|exact|hash-compact (--hash-compact)
    unsigned threads = 1;       // --threads
    std::string max_memory;     // --max-memory SIZE; empty: 80% of the memory available at start
};

struct SimulateOptions {
    ModelOptions model;
    std::uint64_t seed = 1;
    std::optional<std::string> schedule; // comma-separated: DRIVER[:probe|:remove|:resume][!]
    std::uint64_t max_steps = 10000;
};

struct ReplayOptions {
    std::string trace_path;
    std::string scenario_path; // empty: the path the trace records
    std::string property;      // empty: every recorded trace
};

struct CompareOptions {
    std::vector<std::string> scenario_paths;
    std::string variants = "V0,V1,V2,V3,V4"; // comma-separated variant specs
    std::vector<std::string> overrides;      // --set POINT=VALUE, applied to every variant
    std::string granularity = "both";        // devres | call | both
    std::string format = "text";             // text | md | json (docs/compare.md)
    std::string traces_dir;                  // --traces DIR; empty: no trace files
    std::string trace_format = "text";       // text | json
    CheckOptions search; // properties, limits, store, threads and progress as for check; its model is unused
};

int check_command(const CheckOptions& options, std::ostream& out, std::ostream& err);
int compare_command(const CompareOptions& options, std::ostream& out, std::ostream& err);
int replay_command(const ReplayOptions& options, std::ostream& out, std::ostream& err);
int simulate_command(const SimulateOptions& options, std::ostream& out, std::ostream& err);
int list_command(const std::string& what, std::ostream& out, std::ostream& err);

} // namespace bindcheck::cli
