#include "model/program_set.hpp"

namespace bindcheck::model {

std::uint16_t ProgramSet::add(Program program) {
    programs.push_back(std::move(program));
    return static_cast<std::uint16_t>(programs.size() - 1);
}

ProgramSet build_programs(Scenario& scenario, const Variant& variant) {
    ProgramSet set;
    for (const Master& master : scenario.masters) {
        set.match_resource.push_back(static_cast<int>(scenario.resources.size()));
        // struct component_match on 64-bit: two size fields and a pointer (spec 2.1)
        scenario.resources.push_back(Resource{"devm_component_match_release", master.driver, 24, {}});
    }
    add_component_framework(set, variant);
    add_driver_core(set);
    add_driver_blocks(set, scenario);
    return set;
}

} // namespace bindcheck::model
