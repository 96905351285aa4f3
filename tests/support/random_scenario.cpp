#include "tests/support/random_scenario.hpp"

namespace bindcheck::testing {

std::string random_scenario(std::mt19937& rng) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const char* devices[] = {"da", "db", "dc"};
    auto statement = [&](bool in_master) -> std::string {
        const std::string dev = devices[pick(3)];
        switch (pick(in_master ? 12 : 11)) {
        case 0: return "devm r" + std::to_string(pick(2)) + (pick(2) ? " on " + dev : "");
        case 1: return "use r" + std::to_string(pick(2));
        case 2: return "devres_open_group" + std::string(pick(2) ? " g" : "") + (pick(2) ? " on " + dev : "");
        case 3: return "devres_close_group" + std::string(pick(2) ? " g" : "");
        case 4: return "devres_release_group" + std::string(pick(2) ? " g" : "");
        case 5: return "devres_remove_group" + std::string(pick(2) ? " g" : "");
        case 6: return "complete k";
        case 7: return "wait k timeout";
        case 8: return "may_fail" + std::string(pick(2) ? " -EPROBE_DEFER" : "");
        case 9: return "devm_free r" + std::to_string(pick(2));
        case 10: return "free r" + std::to_string(pick(2));
        default: return "component_bind_all";
        }
    };
    auto block = [&](bool in_master) {
        std::string b = "{";
        for (int k = pick(3); k > 0; --k) b += " " + statement(in_master) + " ;";
        return b + " }";
    };
    std::string text;
    // The master driver: adds the master somewhere in probe, deletes it in remove.
    text = "device da \"a\"\ndevice db \"b\"\ndevice dc \"c\"\n"
           "driver m on da {\n"
           "  probe { devm r0 ; component_master_add_with_match agg match(ca, cb) ; devm r1 }\n"
           "  remove { component_master_del agg }\n"
           "  runtime_resume " + block(false) + "\n"
           "  master agg { bind " + block(true) + " unbind { component_unbind_all } }\n"
           "}\n"
           "driver a on db {\n"
           "  probe { devm r0 ; component_add ca ; devm r1 }\n"
           "  remove { component_del ca }\n"
           "  component ca { bind " + block(false) + " unbind " + block(false) + " }\n"
           "}\n"
           "driver b on dc {\n"
           "  probe " + std::string(pick(2) ? "may_fail " : "") + "{ devm r0 ; devm r1 ; component_add cb }\n"
           "  remove { component_del cb }\n"
           "  component cb { bind " + std::string(pick(2) ? "may_fail " : "") + block(false) + " }\n"
           "}\n"
           "bound resumes = 1\n";
    return text;
}


} // namespace bindcheck::testing
