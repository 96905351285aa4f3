// open-group (INV-5): when the framework lets go of component_mutex, no
// devres group it opened (DT1, DT3, DT4) is still open.

#include "tests/properties/property_test_support.hpp"

namespace bindcheck::testing::properties_test {
namespace {

constexpr const char* kProperty = "open-group";

// The 4136 pair without the iomap: nothing but the framework touches devres.
constexpr const char* kAudioPair = R"(device hda  "0000:00:1f.3"
device igpu "0000:00:02.0"
driver snd_hda_intel on hda {
  probe  { component_master_add_with_match audio match(i915_audio) }
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

TEST_CASE("under V1 every successful bring-up leaves the master group open") {
    // Both drivers probe and register (4 steps, in either order); the second
    // registration binds the master and unlocks with the DT1 group open.
    const CheckRun run = run_check(kAudioPair, "V1", Granularity::Call);
    check_violated(run, kProperty, 4,
                   "component_mutex is released with the master group of audio (DT1) still open on hda");
}

TEST_CASE("under V1 the master group is also left open when every devres call interleaves") {
    // hda probes and adds its master (probe, DT0, lock, insert,
    // find_components, unlock: 6), i915 probes and adds its component, whose
    // bring-up runs on i915's thread (probe, lock, append, find_components,
    // DT1, DT3, DT4, bound, DT6, DT7, bound, unlock: 12)... or the other
    // order: i915 first (probe, lock, append, unlock: 4), then hda (probe, DT0,
    // lock, insert, find_components, DT1, DT3, DT4, bound, DT6, DT7, bound,
    // unlock: 13) = 17.
    const CheckRun run = run_check(kAudioPair, "V1", Granularity::Devres);
    check_violated(run, kProperty, 17, "the master group of audio (DT1) still open on hda");
}

TEST_CASE("with the fix the master group is closed before component_mutex is released") {
    for (Granularity granularity : {Granularity::Devres, Granularity::Call}) {
        const CheckRun run = run_check(kAudioPair, "V2", granularity);
        check_holds(run, kProperty);
        CHECK(run.violated.empty());
    }
}

} // namespace
} // namespace bindcheck::testing::properties_test
