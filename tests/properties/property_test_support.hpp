#pragma once
// Shared pieces of the property tests (tests/properties/*_test.cpp): the
// drm/intel 4136 pair of drivers, and checks that read like the assertions
// the tests make.

#include <doctest/doctest.h>

#include <string>

#include "tests/support/run_check.hpp"

namespace bindcheck::testing::properties_test {

using model::Granularity;

/// drm/intel issue 4136 (spec 4.1, 4.2): snd_hda_intel adds the audio master
/// and then maps its registers with pcim_iomap; i915 adds the audio
/// component and deletes it on unbind. With `resume`, snd_hda_intel may run
/// runtime_resume (which reads the mapping) once per binding. No rebinds.
inline std::string issue_4136(bool resume) {
    std::string text = R"(device hda  "0000:00:1f.3"
device igpu "0000:00:02.0"

driver snd_hda_intel on hda {
  probe {
    component_master_add_with_match audio match(i915_audio)
    devm pcim_iomap size 48
  }
  runtime_resume { use pcim_iomap }
  remove { component_master_del audio }
  master audio {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver i915 on igpu {
  probe  { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { }
  }
}
)";
    if (resume) text += "bound resumes = 1\n";
    return text;
}

/// Checks that `property` is violated with a shortest trace of `length`
/// steps (0: any length) and that its reason contains `reason_part`.
inline void check_violated(const CheckRun& run, const std::string& property, std::size_t length,
                           const std::string& reason_part) {
    std::string names;
    for (const auto& name : run.violated_names()) names += " " + name;
    INFO("violated:" << names);
    REQUIRE(run.violated.count(property) == 1);
    if (length != 0) CHECK(run.violated.at(property) == length);
    const std::string& reason = run.reasons.at(property);
    CHECK_MESSAGE(reason.find(reason_part) != std::string::npos,
                  "reason \"" << reason << "\" lacks \"" << reason_part << "\"");
}

/// Checks that `property` holds over the whole state space.
inline void check_holds(const CheckRun& run, const std::string& property) {
    CHECK(run.complete);
    CHECK_MESSAGE(run.holds(property), property << " is violated: "
                                                << (run.reasons.count(property) ? run.reasons.at(property) : ""));
}

} // namespace bindcheck::testing::properties_test
