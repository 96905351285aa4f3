#pragma once
// All programs of one model: the component framework (written per variant),
// the driver core's probe/remove/resume paths, and every driver block of the
// scenario compiled to the same step language.

#include <array>
#include <cstdint>
#include <vector>

#include "model/program.hpp"
#include "model/scenario.hpp"
#include "model/variant.hpp"

namespace bindcheck::model {

struct FrameworkEntry {
    std::uint16_t component_master_add_with_match = 0;
    std::uint16_t component_master_del = 0;
    std::uint16_t try_to_bring_up_master = 0;
    std::uint16_t try_to_bring_up_masters = 0;
    std::uint16_t take_down_master = 0;
    std::uint16_t component_bind_all = 0;
    std::uint16_t component_unbind_all = 0;
    std::uint16_t component_bind = 0;
    std::uint16_t component_unbind = 0;
    std::uint16_t component_add = 0;
    std::uint16_t component_add_typed = 0;
    std::uint16_t component_del = 0;
    std::uint16_t really_probe = 0;
    std::uint16_t device_release_driver = 0;
    std::uint16_t rpm_resume = 0;
};

inline constexpr int kNoProgram = -1;

struct ProgramSet {
    std::vector<Program> programs;
    FrameworkEntry entry;
    struct DriverBlocks {
        int probe = kNoProgram, remove = kNoProgram, runtime_resume = kNoProgram;
    };
    std::vector<DriverBlocks> drivers;
    std::vector<std::array<int, 2>> master_blocks;    // [bind, unbind]
    std::vector<std::array<int, 2>> component_blocks; // [bind, unbind]
    std::vector<int> match_resource; // per master: the DT0 node's allocation site

    std::uint16_t add(Program program);
};

/// Adds one allocation site per master for its match header (DT0) to
/// `scenario.resources`, then builds every program.
[[nodiscard]] ProgramSet build_programs(Scenario& scenario, const Variant& variant);

// Parts of build_programs, one per kernel file.
void add_component_framework(ProgramSet& set, const Variant& variant); // component.c
void add_driver_core(ProgramSet& set);                                 // dd.c, runtime PM
void add_driver_blocks(ProgramSet& set, const Scenario& scenario);     // the scenario's code

} // namespace bindcheck::model
