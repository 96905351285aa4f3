// devres-warn (INV-6, INV-7): the kernel would WARN or BUG.

#include "tests/properties/property_test_support.hpp"

namespace bindcheck::testing::properties_test {
namespace {

constexpr const char* kProperty = "devres-warn";

TEST_CASE("component_del of a component that was never added WARNs") {
    // probe (1), remove (1), component_del finds nothing and WARNs (1).
    const CheckRun run = run_check(R"(device igpu "0000:00:02.0"
driver i915 on igpu {
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { }
  }
}
)",
                                   "V2", Granularity::Call);
    check_violated(run, kProperty, 3, "WARN: component_del of an unregistered component");
}

TEST_CASE("component_add and a matching component_del do not WARN") {
    const CheckRun run = run_check(R"(device igpu "0000:00:02.0"
driver i915 on igpu {
  probe  { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { }
  }
}
)");
    check_holds(run, kProperty);
    CHECK(run.violated.empty());
}

TEST_CASE("closing an already closed group by its id is a BUG") {
    // Spec 1.3: the closing marker would be linked twice. probe (1), open (1),
    // close (1), close again (1).
    const CheckRun run = run_check(R"(device dev "dev0"
driver d on dev {
  probe {
    devres_open_group grp
    devres_close_group grp
    devres_close_group grp
  }
}
)");
    check_violated(run, kProperty, 4, "BUG: devres_close_group by id on a closed group links its marker twice");
}

TEST_CASE("a driver group opened, closed and released by its id is clean") {
    const CheckRun run = run_check(R"(device dev "dev0"
driver d on dev {
  probe {
    devres_open_group grp
    devm buf size 16
    devres_close_group grp
  }
  remove { devres_release_group grp }
}
)");
    check_holds(run, kProperty);
    CHECK(run.violated.empty());
}

TEST_CASE("component_add_typed with subcomponent 0 WARNs and fails the probe") {
    // Spec 2.9: WARN and -EINVAL before anything is registered; the WARN is
    // in the probe's first step, and the failed probe leaves nothing behind.
    const std::string text = R"(device igpu "0000:00:02.0"
driver i915 on igpu {
  probe  { component_add_typed i915_audio 0 }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { }
  }
}
)";
    const CheckRun run = run_check(text);
    check_violated(run, kProperty, 1, "WARN: component_add_typed with subcomponent 0");
    check_holds(run, "leak");
}

TEST_CASE("component_add_typed with a nonzero subcomponent does not WARN") {
    const CheckRun run = run_check(R"(device igpu "0000:00:02.0"
driver i915 on igpu {
  probe  { component_add_typed i915_audio 1 }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { }
  }
}
)");
    check_holds(run, kProperty);
    CHECK(run.violated.empty());
}

// The component's driver detaches without deleting its component, so its
// device list is empty when the master is taken down.
constexpr const char* kComponentDetachedFirst = R"(device drm  "display-subsystem"
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

TEST_CASE("before 8e1ddfada453 releasing a component group from an emptied device WARNs") {
    // display probes and adds its master (2), hdmi probes and binds (2), hdmi
    // is removed and its devres released (2), display's remove (1) takes the
    // master down: DT10 finds no group on the empty hdmi list (1).
    const CheckRun run = run_check(kComponentDetachedFirst, "V2", Granularity::Call);
    check_violated(run, kProperty, 8, "WARN: devres group not found at DT10 on hdmi");
}

TEST_CASE("since 8e1ddfada453 releasing a group on an empty device list is silent") {
    // V3 (spec 3.3, last row). With whole framework calls the component's
    // detach cannot fall inside its bind, where DT6 would still WARN.
    const CheckRun run = run_check(kComponentDetachedFirst, "V3", Granularity::Call);
    check_holds(run, kProperty);
}

} // namespace
} // namespace bindcheck::testing::properties_test
