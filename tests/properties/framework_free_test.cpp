// framework-free (INV-1b): the component framework's group releases never
// free a resource its owner allocated in its own path, even when the owner's
// own thread runs the release (spec 4.4 run C).

#include "tests/properties/property_test_support.hpp"

namespace bindcheck::testing::properties_test {
namespace {

constexpr const char* kProperty = "framework-free";

// One driver registers both the master and its only component (on a child
// device without a driver), then maps its registers; its remove deletes the
// master and the component. Every step runs on snd_hda_intel's own thread.
constexpr const char* kOwnMasterAndComponent = R"(device hda   "0000:00:1f.3"
device codec "hdaudioC0D2"
driver snd_hda_intel on hda {
  probe {
    component_add hdmi_codec
    component_master_add_with_match audio match(hdmi_codec)
    devm pcim_iomap size 48
  }
  remove {
    component_master_del audio
    component_del hdmi_codec
  }
  master audio {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
  component hdmi_codec on codec {
    bind   { }
    unbind { }
  }
}
)";

TEST_CASE("under V1 the master's own component_master_del frees its driver's later iomap") {
    // Spec 4.4 run C. The trace is one thread's program order: probe (1),
    // component_add (lock, append, unlock: 3), component_master_add_with_match
    // (DT0, lock, insert, find_components, DT1, DT3, DT4, bound, DT6, DT7,
    // bound, unlock: 12), the iomap inside the open master group (1), remove
    // (1), component_master_del (lock, unbound, DT10, DT11: 4) = 22. DT11
    // releases from the master group's opening marker to the end of hda's list.
    const CheckRun run = run_check(kOwnMasterAndComponent, "V1", Granularity::Devres);
    check_violated(run, kProperty, 22,
                   "the framework's DT11 group release on hda frees snd_hda_intel's pcim_iomap, which was not "
                   "allocated in any bind callback");
    // No other driver is involved: INV-1 cannot see this release.
    check_holds(run, "foreign-free");
}

TEST_CASE("with the fix the master's take-down releases only its closed group, not the iomap") {
    // V2: the master group is closed right after bind and released by id, so
    // the iomap after its closing marker stays until hda's own detach.
    const CheckRun run = run_check(kOwnMasterAndComponent, "V2", Granularity::Devres);
    check_holds(run, kProperty);
    CHECK(run.violated.empty());
}

TEST_CASE("under V1 the framework frees snd_hda_intel's iomap in the 4136 pair, and not under V2") {
    const CheckRun v1 = run_check(issue_4136(false), "V1", Granularity::Call);
    // i915 probe, component_add, hda probe, master add and bind, iomap, then
    // either driver's unbind (remove, then component_del or
    // component_master_del) reaches DT11: 7 steps.
    check_violated(v1, kProperty, 7, "the framework's DT11 group release on hda frees snd_hda_intel's pcim_iomap");

    const CheckRun v2 = run_check(issue_4136(false), "V2", Granularity::Call);
    check_holds(v2, kProperty);
}

} // namespace
} // namespace bindcheck::testing::properties_test
