// leak (INV-12, INV-13): once every driver is unbound nothing remains (no
// devres node, component or master), and a failed probe leaves its driver
// nothing registered.

#include "tests/properties/property_test_support.hpp"

namespace bindcheck::testing::properties_test {
namespace {

constexpr const char* kProperty = "leak";

TEST_CASE("a driver whose remove never deletes its component leaves it registered") {
    // probe (1), component_add (1), remove (1), release_all at detach (1):
    // every driver is unbound and the component is still on component_list.
    const CheckRun run = run_check(R"(device igpu "0000:00:02.0"
driver i915 on igpu {
  probe  { component_add i915_audio }
  remove { }
  component i915_audio {
    bind   { }
    unbind { }
  }
}
)",
                                   "V2", Granularity::Call);
    check_violated(run, kProperty, 4, "every driver is unbound but component i915_audio is still registered");
}

TEST_CASE("a driver whose remove never deletes its master leaves it registered") {
    const CheckRun run = run_check(R"(device hda  "0000:00:1f.3"
device igpu "0000:00:02.0"
driver snd_hda_intel on hda {
  probe  { component_master_add_with_match audio match(i915_audio) }
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
)",
                                   "V2", Granularity::Call);
    // hda probes, adds its master and is removed (4) before i915 ever probes.
    check_violated(run, kProperty, 4, "every driver is unbound but master audio is still registered");
}

TEST_CASE("a probe that fails after component_add without component_del leaves the component registered") {
    // INV-13. probe (1), component_add (1), the probe's failure point (1),
    // release_all of the failed probe (1).
    const CheckRun run = run_check(R"(device igpu "0000:00:02.0"
driver i915 on igpu {
  probe may_fail { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { }
  }
}
)",
                                   "V2", Granularity::Call);
    check_violated(run, kProperty, 4, "i915's probe failed with component i915_audio still registered");
}

TEST_CASE("a probe that can fail only before component_add, with component_del in remove, leaves nothing") {
    const CheckRun run = run_check(R"(device igpu "0000:00:02.0"
driver i915 on igpu {
  probe  { may_fail ; component_add i915_audio }
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

TEST_CASE("the balanced 4136 pair under the fix leaves nothing once both drivers are unbound") {
    const CheckRun run = run_check(issue_4136(false), "V2", Granularity::Call);
    check_holds(run, kProperty);
}

} // namespace
} // namespace bindcheck::testing::properties_test
