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
    std::string variant = "mainline";
    std::string granularity = "devres";
};

struct CheckOptions {
    ModelOptions model;
    std::vector<std::string> properties; // empty: all
    std::uint64_t max_depth = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t max_states = std::numeric_limits<std::uint64_t>::max();
    double max_seconds = std::numeric_limits<double>::infinity();
    std::string output_path; // empty: standard output
    bool progress = true;
};

struct SimulateOptions {
    ModelOptions model;
    std::uint64_t seed = 1;
    std::optional<std::string> schedule; // comma-separated: DRIVER[:probe|:remove|:resume][!]
    std::uint64_t max_steps = 10000;
};

int check_command(const CheckOptions& options, std::ostream& out, std::ostream& err);
int simulate_command(const SimulateOptions& options, std::ostream& out, std::ostream& err);
int list_command(const std::string& what, std::ostream& out, std::ostream& err);

} // namespace bindcheck::cli
