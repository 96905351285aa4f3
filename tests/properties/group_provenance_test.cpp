// group-provenance (INV-8, INV-15): a framework NULL-id lookup selects the
// group the same framework call opened, and a resource lands in a framework
// group only from the callback that group was opened for.

#include "tests/properties/property_test_support.hpp"

namespace bindcheck::testing::properties_test {
namespace {

constexpr const char* kProperty = "group-provenance";

/// A display aggregate whose master bind is `master_bind` (statements).
std::string display_with_master_bind(const std::string& master_bind) {
    return R"(device drm  "display-subsystem"
device hdmi "ff940000.hdmi"
driver display on drm {
  probe  { component_master_add_with_match aggregate match(dw_hdmi) }
  remove { component_master_del aggregate }
  master aggregate {
    bind   { )" + master_bind +
           R"( }
    unbind { component_unbind_all }
  }
}
driver hdmi_drv on hdmi {
  probe  { component_add dw_hdmi }
  remove { component_del dw_hdmi }
  component dw_hdmi {
    bind   { }
    unbind { }
  }
}
)";
}

TEST_CASE("under V2 a master bind that leaves its own group open makes the post-bind close pick it") {
    // Spec 3.2's hazard: the fix closes the latest open group (NULL id) after
    // bind, which is the callback's group, not the master group. display
    // probes and adds its master (2), hdmi probes and its component_add runs
    // the bring-up (2).
    const CheckRun run = run_check(display_with_master_bind("devres_open_group ; component_bind_all"), "V2",
                                   Granularity::Call);
    check_violated(run, kProperty, 4,
                   "post-bind close's NULL-id lookup on drm selects a driver's NULL-id group, not the group its own "
                   "framework call opened");
    // The master group stays open as a result.
    check_violated(run, "open-group", 4, "the master group of aggregate (DT1) still open on drm");
}

TEST_CASE("under V1 the same unbalanced master bind makes the take-down release the callback's group") {
    // V1 has no post-bind close; DT11 (NULL id) is the first lookup to miss.
    // display probes and adds its master (2), hdmi probes and binds the
    // aggregate (2), either driver unbinds: remove (1), then component_del or
    // component_master_del (1).
    const CheckRun run = run_check(display_with_master_bind("devres_open_group ; component_bind_all"), "V1",
                                   Granularity::Call);
    check_violated(run, kProperty, 6, "DT11's NULL-id lookup on drm selects a driver's NULL-id group");
}

TEST_CASE("a master bind that closes the group it opens keeps every lookup on the framework's group") {
    const std::string bind = "devres_open_group ; component_bind_all ; devres_close_group";
    for (Granularity granularity : {Granularity::Devres, Granularity::Call}) {
        const CheckRun run = run_check(display_with_master_bind(bind), "V2", granularity);
        check_holds(run, kProperty);
        CHECK(run.violated.empty());
    }
}

TEST_CASE("under V1 snd_hda_intel's iomap lands in the open master group outside any bind callback") {
    // INV-15: i915 probe, component_add, hda probe, master add and bind (or
    // hda first, the bring-up on i915's thread): 4 steps, then the iomap (1).
    const CheckRun run = run_check(issue_4136(false), "V1", Granularity::Call);
    check_violated(run, kProperty, 5,
                   "snd_hda_intel's pcim_iomap lands inside the master group of audio (DT1) on hda, outside the "
                   "callback it was opened for");
}

TEST_CASE("with the fix the iomap can still land in the master group while i915's thread binds it") {
    // Spec 4.3, the completion race: hda adds its master (probe, DT0, lock,
    // insert, find_components, unlock: 6), i915's component_add reaches DT1
    // on i915's thread (probe, lock, append, find_components, DT1: 5), hda's
    // iomap (1).
    const CheckRun run = run_check(issue_4136(false), "V2", Granularity::Devres);
    check_violated(run, kProperty, 12, "snd_hda_intel's pcim_iomap lands inside the master group of audio (DT1)");
}

TEST_CASE("with the fix and whole framework calls the iomap never lands in a framework group") {
    const CheckRun run = run_check(issue_4136(false), "V2", Granularity::Call);
    check_holds(run, kProperty);
}

} // namespace
} // namespace bindcheck::testing::properties_test
