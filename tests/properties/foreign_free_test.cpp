// foreign-free (INV-1): a resource a driver allocated in its own path is
// released only by its device's release_all or by its owner's own
// operations, never by an operation another driver initiated.

#include "tests/properties/property_test_support.hpp"

namespace bindcheck::testing::properties_test {
namespace {

constexpr const char* kProperty = "foreign-free";

TEST_CASE("under V1 i915's component_del frees snd_hda_intel's iomap through the open master group") {
    // Spec 4.2 run A: i915 probes and adds its component (2 steps), hda probes
    // and its master binds (2), the iomap lands in the open group (1), i915
    // unbinds and component_del takes the master down, DT11 releasing the
    // latest open group on hda to the end of the list (2).
    const CheckRun run = run_check(issue_4136(false), "V1", Granularity::Call);
    check_violated(run, kProperty, 7,
                   "i915's operation releases snd_hda_intel's pcim_iomap (DT11 on hda), which snd_hda_intel "
                   "allocated in its own path");
}

TEST_CASE("with the fix and whole framework calls i915's unbind leaves snd_hda_intel's iomap alone") {
    // V2 closes the master group after bind and releases it by id: the iomap
    // lies after the closing marker and waits for hda's own detach.
    const CheckRun run = run_check(issue_4136(false), "V2", Granularity::Call);
    check_holds(run, kProperty);
    CHECK(run.violated.empty());
}

TEST_CASE("with the fix the completion race still lets i915 free snd_hda_intel's iomap") {
    // Spec 4.3: hda's master is added before i915's component (6 steps on
    // hda's thread: probe, DT0, lock, insert, find_components, unlock); i915's
    // component_add brings the master up on i915's thread (probe, lock,
    // append, find_components, DT1: 5); hda's iomap lands between DT1 and the
    // post-bind close (1); the bring-up finishes (DT3, DT4, bound, DT6, DT7,
    // close, bound, unlock: 8); i915 unbinds (remove, lock, unlink, unbound,
    // DT10, DT11: 6). DT11 by id releases the master group with the iomap in it.
    const CheckRun run = run_check(issue_4136(false), "V2", Granularity::Devres);
    check_violated(run, kProperty, 26, "i915's operation releases snd_hda_intel's pcim_iomap (DT11 on hda)");
}

TEST_CASE("an iomap claimed before the master is added is never freed by i915, even under V1") {
    // Russell King's contract (spec 4.3): claim every resource before adding
    // the master. The iomap then precedes the master group, whose release
    // (to the end of the list under V1) does not reach it.
    const std::string text = R"(device hda  "0000:00:1f.3"
device igpu "0000:00:02.0"
driver snd_hda_intel on hda {
  probe {
    devm pcim_iomap size 48
    component_master_add_with_match audio match(i915_audio)
  }
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
    for (const char* variant : {"V1", "V2"}) {
        CAPTURE(variant);
        const CheckRun run = run_check(text, variant, Granularity::Devres);
        check_holds(run, kProperty);
        check_holds(run, "framework-free");
    }
}

} // namespace
} // namespace bindcheck::testing::properties_test
