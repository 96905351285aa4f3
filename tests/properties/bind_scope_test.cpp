// bind-scope (INV-3, INV-4): what a bind callback allocates lives exactly as
// long as the binding: released by its own unbind or rollback (or its
// device's detach), by nothing else, and nothing of it survives the end of
// that scope.

#include "tests/properties/property_test_support.hpp"

namespace bindcheck::testing::properties_test {
namespace {

constexpr const char* kProperty = "bind-scope";

/// A display aggregate with one HDMI component whose bind allocates
/// `bind_allocation` (a statement).
std::string display_with_hdmi_bind(const std::string& bind_allocation) {
    return R"(device drm  "display-subsystem"
device hdmi "ff940000.hdmi"
device phy  "ff950000.phy"
driver display on drm {
  probe  { component_master_add_with_match aggregate match(dw_hdmi) }
  remove { component_master_del aggregate }
  master aggregate {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}
driver hdmi_drv on hdmi {
  probe  { component_add dw_hdmi }
  remove { component_del dw_hdmi }
  component dw_hdmi {
    bind   { )" + bind_allocation +
           R"( }
    unbind { }
  }
}
)";
}

TEST_CASE("a component bind that allocates on a third device leaves the allocation behind at unbind") {
    // Neither the component's group (DT4, on hdmi) nor the parent-side group
    // (DT3, merged into the master group) covers the phy device: nothing of
    // the binding releases phy_state. Shortest: display probes and adds its
    // master (2), hdmi probes and its component_add binds the aggregate (2),
    // either driver's remove (1) takes it down with component_del or
    // component_master_del (1).
    for (const char* variant : {"V1", "V2"}) {
        CAPTURE(variant);
        const CheckRun run = run_check(display_with_hdmi_bind("devm phy_state on phy size 64"), variant,
                                       Granularity::Call);
        check_violated(run, kProperty, 6,
                       "phy_state on phy, allocated in the bind of component dw_hdmi, outlives its unbind");
        // And it is still there when every driver is gone.
        check_violated(run, "leak", 0, "every driver is unbound but phy still holds phy_state");
    }
}

TEST_CASE("a component bind that allocates on its own device is released by its unbind") {
    for (const char* variant : {"V1", "V2"}) {
        CAPTURE(variant);
        const CheckRun run =
            run_check(display_with_hdmi_bind("devm hdmi_state size 64"), variant, Granularity::Devres);
        check_holds(run, kProperty);
        check_holds(run, "leak");
    }
}

// The master's bind allocates the DRM device on its parent, as
// rockchip_drm_bind does.
constexpr const char* kMasterAllocates = R"(device drm  "display-subsystem"
device hdmi "ff940000.hdmi"
driver display on drm {
  probe  { component_master_add_with_match aggregate match(dw_hdmi) }
  remove { component_master_del aggregate }
  master aggregate {
    bind   { devm drm_device size 4096 ; component_bind_all }
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

TEST_CASE("without a master group (V0) the master's bind allocation outlives the take-down") {
    // V0 has no DT1/DT11: take_down_master releases nothing on the parent.
    // Same 6-step shape as above.
    const CheckRun run = run_check(kMasterAllocates, "V0", Granularity::Call);
    check_violated(run, kProperty, 6,
                   "drm_device on drm, allocated in the bind of master aggregate, outlives its unbind");
}

TEST_CASE("with the master group the take-down releases the master's bind allocation") {
    const CheckRun run = run_check(kMasterAllocates, "V2", Granularity::Devres);
    check_holds(run, kProperty);
    CHECK(run.violated.empty());
}

// Two masters on one parent, each allocating in its bind; each has its own
// component on its own device. (The binds do not call component_bind_all,
// which would look a master up by parent alone.)
constexpr const char* kTwoMastersOneParent = R"(device host "host0"
device a    "a0"
device b    "b0"
driver host_drv on host {
  probe {
    component_master_add_with_match first match(ca)
    component_master_add_with_match second match(cb)
  }
  remove {
    component_master_del first
    component_master_del second
  }
  master first  { bind { devm first_state } }
  master second { bind { devm second_state } }
}
driver a_drv on a {
  probe  { component_add ca }
  remove { component_del ca }
  component ca { }
}
driver b_drv on b {
  probe  { component_add cb }
  remove { component_del cb }
  component cb { }
}
)";

TEST_CASE("under V1 one master's take-down releases the bind allocation of another master") {
    // One master binds, then the other: the second group opens inside the
    // first, still open. Taking the first master down releases the latest
    // open group on host, the other master's, with its state in it (spec 2.8
    // DT11, V1). Which master binds first is a tie, so the reason names
    // neither.
    const CheckRun run = run_check(kTwoMastersOneParent, "V1", Granularity::Call);
    check_violated(run, kProperty, 0, "_state, allocated in the bind of master ");
    CHECK(run.reasons.at(kProperty).find(", is released by DT11 of another binding") != std::string::npos);
}

TEST_CASE("with the fix each master's take-down releases only its own group") {
    const CheckRun run = run_check(kTwoMastersOneParent, "V2", Granularity::Call);
    check_holds(run, kProperty);
}

} // namespace
} // namespace bindcheck::testing::properties_test
