// Each variation point of spec 3.3, changed alone from a preset with a
// variant spec, changes a verdict where the spec says it must.

#include "tests/properties/property_test_support.hpp"

namespace bindcheck::testing::properties_test {
namespace {

// spec 3.2's hazard: the master's bind opens a group of its own on the
// parent and leaves it open, and may fail after its allocation.
constexpr const char* kUnbalancedMasterBind = R"(device hda  "0000:00:1f.3"
device igpu "0000:00:02.0"
driver snd_hda_intel on hda {
  probe  { component_master_add_with_match audio match(i915_audio); devm pcim_iomap size 48 }
  remove { component_master_del audio }
  master audio {
    bind may_fail -EIO { devres_open_group; devm mbind_buf; component_bind_all }
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

// The master's bind allocates on the parent (Rockchip DRM shape).
constexpr const char* kMasterAllocates = R"(device display "display-subsystem"
device vop     "ff900000.vop"
driver rockchip_drm on display {
  probe  { component_master_add_with_match drm match(vop_crtc) }
  remove { component_master_del drm }
  master drm {
    bind   { devm drm_device size 4096 ; component_bind_all }
    unbind { component_unbind_all }
  }
}
driver rockchip_vop on vop {
  probe  { component_add vop_crtc }
  remove { component_del vop_crtc }
  component vop_crtc {
    bind   { devm vop_state size 256 }
    unbind { }
  }
}
)";

// An encoder binds and allocates on the aggregate's parent; the bridge's
// bind then fails, so the master's bind fails (DT2's case).
constexpr const char* kMasterBindFails = R"(device drm     "display-subsystem"
device encoder "encoder@1000"
device bridge  "bridge@2000"
driver display on drm {
  probe  { component_master_add_with_match aggregate match(encoder_comp, bridge_comp) }
  remove { component_master_del aggregate }
  master aggregate {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}
driver encoder_drv on encoder {
  probe  { component_add encoder_comp }
  remove { component_del encoder_comp }
  component encoder_comp {
    bind   { devm connector_state on drm size 64 }
    unbind { }
  }
}
driver bridge_drv on bridge {
  probe  { component_add bridge_comp }
  remove { component_del bridge_comp }
  component bridge_comp {
    bind may_fail -EPROBE_DEFER { devm bridge_priv size 96 }
    unbind { }
  }
}
)";

// The master's bind binds nothing and its unbind unbinds everything, so
// i915's component_del unbinds a component that was never bound; i915
// freed the registers its unbind callback reads just before.
constexpr const char* kUnbindOfUnbound = R"(device hda  "0000:00:1f.3"
device igpu "0000:00:02.0"
driver snd_hda_intel on hda {
  probe  { component_master_add_with_match audio match(i915_audio) }
  remove { component_master_del audio }
  master audio {
    bind   { }
    unbind { component_unbind_all }
  }
}
driver i915 on igpu {
  probe  { devm regs size 4; component_add i915_audio }
  remove { devm_free regs; component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { use regs }
  }
}
)";

// The component's driver detaches without deleting its component: when the
// master is taken down, DT10 looks for a group on an empty device list.
constexpr const char* kComponentListEmptied = R"(device drm  "display-subsystem"
device hdmi "ff940000.hdmi"
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
  component dw_hdmi {
    bind   { }
    unbind { }
  }
}
)";

} // namespace

TEST_CASE("master_group_open: without DT1, V1's take-down finds no open group instead of the seed's iomap") {
    const std::string seed = issue_4136(false);
    const CheckRun v1 = run_check(seed, "V1", Granularity::Call);
    check_violated(v1, "foreign-free", 7, "");
    check_holds(v1, "devres-warn");

    const CheckRun absent = run_check(seed, "V1+master_group_open=absent", Granularity::Call);
    check_holds(absent, "foreign-free");
    check_holds(absent, "open-group");
    check_violated(absent, "devres-warn", 6, "WARN: devres group not found at DT11 on hda");

    // V2 opened with a NULL id: the group's id is its own address, so the release by id master misses it.
    const CheckRun null_open = run_check(seed, "V2+master_group_open=null", Granularity::Call);
    check_violated(null_open, "devres-warn", 6, "WARN: devres group not found at DT11 on hda");
    check_holds(run_check(seed, "V2", Granularity::Call), "devres-warn");
}

TEST_CASE("close_after_bind: the post-bind close of c87761db2100 decides the seed's foreign-free") {
    const std::string seed = issue_4136(false);
    // V1 with the close: DT11's NULL lookup finds no open group and only WARNs.
    const CheckRun v1_closed = run_check(seed, "V1+close_after_bind=null", Granularity::Call);
    check_holds(v1_closed, "foreign-free");
    check_holds(v1_closed, "open-group");
    check_violated(v1_closed, "devres-warn", 6, "WARN: devres group not found at DT11 on hda");

    // V2 without it: the release by id covers the open group to the end of the list.
    const CheckRun v2_open = run_check(seed, "V2+close_after_bind=absent", Granularity::Call);
    check_violated(v2_open, "foreign-free", 7, "pcim_iomap");
    check_violated(v2_open, "open-group", 4, "");
    check_holds(run_check(seed, "V2", Granularity::Call), "foreign-free");

    // Spec 3.2: closing NULL closes the bind's own open group and leaves the
    // master group open; closing by id master closes the master group.
    const CheckRun by_null = run_check(kUnbalancedMasterBind, "V2", Granularity::Call);
    check_violated(by_null, "foreign-free", 7, "pcim_iomap");
    const CheckRun by_id = run_check(kUnbalancedMasterBind, "V2+close_after_bind=master", Granularity::Call);
    check_holds(by_id, "foreign-free");
    check_holds(by_id, "framework-free");
}

TEST_CASE("release_on_bind_failure: DT2 releases what the failed bind left on the parent") {
    const CheckRun v2 = run_check(kMasterBindFails, "V2", Granularity::Call);
    CHECK(v2.complete);
    CHECK(v2.violated.empty());

    const CheckRun absent = run_check(kMasterBindFails, "V2+release_on_bind_failure=absent", Granularity::Call);
    check_violated(absent, "bind-scope", 6, "connector_state");
    check_violated(absent, "open-group", 6, "");

    // With the bind's own group left open, DT2 by NULL releases only that
    // group and leaves the master group open; by id it releases both.
    const CheckRun by_null = run_check(kUnbalancedMasterBind, "V2+close_after_bind=master", Granularity::Call);
    check_violated(by_null, "open-group", 4, "");
    const CheckRun by_id =
        run_check(kUnbalancedMasterBind, "V2+close_after_bind=master+release_on_bind_failure=master", Granularity::Call);
    CHECK(by_id.complete);
    CHECK(by_id.violated.empty());
}

TEST_CASE("release_at_take_down: DT11 decides what the master's take-down releases") {
    // Without DT11 the DRM device the master's bind allocated outlives the take-down.
    check_holds(run_check(kMasterAllocates, "V2", Granularity::Call), "bind-scope");
    const CheckRun absent = run_check(kMasterAllocates, "V2+release_at_take_down=absent", Granularity::Call);
    check_violated(absent, "bind-scope", 0, "drm_device");
    check_holds(absent, "devres-warn");

    // A NULL id after V2's close finds no open group (spec 1.3): a WARN, and
    // the group stays; it does not bring the seed's foreign-free back.
    const CheckRun null_release = run_check(kMasterAllocates, "V2+release_at_take_down=null", Granularity::Call);
    check_violated(null_release, "devres-warn", 0, "WARN: devres group not found at DT11 on display");
    check_violated(null_release, "bind-scope", 0, "drm_device");
    const CheckRun seed_null = run_check(issue_4136(false), "V2+release_at_take_down=null", Granularity::Call);
    check_holds(seed_null, "foreign-free");
    check_violated(seed_null, "devres-warn", 6, "DT11");

    // V1's open group released by id master is not found either: no foreign-free, a WARN.
    const CheckRun v1_by_id = run_check(issue_4136(false), "V1+release_at_take_down=master", Granularity::Call);
    check_holds(v1_by_id, "foreign-free");
    check_violated(v1_by_id, "devres-warn", 6, "DT11");
}

TEST_CASE("release_group_on_empty_list: 8e1ddfada453 silences DT10 on an emptied device") {
    // display probes and adds its master (2), hdmi probes and binds (2), hdmi
    // is removed and its devres released (2), display's remove (1) takes the
    // master down: DT10 finds no group on the empty hdmi list (1).
    check_violated(run_check(kComponentListEmptied, "V3+release_group_on_empty_list=warn", Granularity::Call),
                   "devres-warn", 8, "WARN: devres group not found at DT10 on hdmi");
    check_holds(run_check(kComponentListEmptied, "V3", Granularity::Call), "devres-warn");
    check_holds(run_check(kComponentListEmptied, "V2+release_group_on_empty_list=silent", Granularity::Call),
                "devres-warn");
}

TEST_CASE("unbind_of_unbound: 5bcca36898aa no longer runs an unbound component's unbind") {
    for (auto granularity : {Granularity::Call, Granularity::Devres}) {
        CAPTURE(granularity == Granularity::Call);
        // Both WARN on the unbound component; only proceeding runs its unbind callback and DT10.
        const CheckRun proceed = run_check(kUnbindOfUnbound, "V4+unbind_of_unbound=proceed", granularity);
        check_violated(proceed, "use-after-free", 0, "i915 uses regs after");
        check_violated(proceed, "devres-warn", 0, "WARN: component_unbind of a component that is not bound");
        const CheckRun returns = run_check(kUnbindOfUnbound, "V3+unbind_of_unbound=return", granularity);
        check_holds(returns, "use-after-free");
        check_violated(returns, "devres-warn", 0, "WARN: component_unbind of a component that is not bound");
        CHECK(run_check(kUnbindOfUnbound, "V3", granularity).violated == proceed.violated);
        CHECK(run_check(kUnbindOfUnbound, "V4", granularity).violated == returns.violated);
    }
}

} // namespace bindcheck::testing::properties_test
