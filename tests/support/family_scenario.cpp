#include "tests/support/family_scenario.hpp"

namespace bindcheck::testing {

std::string family_scenario(int n, bool second_master) {
    std::string match;
    for (int k = 1; k <= n; ++k) match += (k > 1 ? ", " : "") + (k == 1 ? std::string("i915_audio") : "comp" + std::to_string(k));
    std::string text = "device hda \"0000:00:1f.3\"\ndevice igpu \"0000:00:02.0\"\n";
    if (second_master) text += "device sof \"0000:00:0e.0\"\n";
    for (int k = 2; k <= n; ++k) text += "device dev_comp" + std::to_string(k) + " \"d" + std::to_string(k) + "\"\n";
    const auto master_driver = [&](const std::string& driver, const std::string& device, const std::string& master) {
        return "driver " + driver + " on " + device + " {\n  probe {\n    component_master_add_with_match " + master +
               " match(" + match + ")\n    devm pcim_iomap size 48\n  }\n  runtime_resume { use pcim_iomap }\n"
               "  remove { component_master_del " + master + " }\n  master " + master +
               " {\n    bind { component_bind_all }\n    unbind { component_unbind_all }\n  }\n}\n";
    };
    const auto component_driver = [](const std::string& driver, const std::string& device, const std::string& c) {
        return "driver " + driver + " on " + device + " {\n  probe { component_add " + c +
               " }\n  runtime_resume { }\n  remove { component_del " + c + " }\n  component " + c +
               " {\n    bind { }\n    unbind { }\n  }\n}\n";
    };
    text += master_driver("snd_hda_intel", "hda", "audio");
    text += component_driver("i915", "igpu", "i915_audio");
    if (second_master) text += master_driver("snd_sof_intel", "sof", "sof_audio");
    for (int k = 2; k <= n; ++k) {
        const std::string c = "comp" + std::to_string(k);
        text += component_driver("drv_" + c, "dev_" + c, c);
    }
    return text + "bound rebinds = 0\nbound resumes = 1\n";
}

} // namespace bindcheck::testing
