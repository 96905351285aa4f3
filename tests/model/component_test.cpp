// Tests of model/component.cpp (with the interpreter and the driver core)
// against the kernel semantics spec, sections 1.8, 2.3-2.10 and 3.3: small
// scenarios driven step by step along explicit schedules, with the exact
// sequence of devres events (touch point, operation, device, node) derived
// by hand from the spec. Where the model and the spec disagree, the test keeps
// the spec's expectation.
//
// Notation (tests/model/component_test_support.hpp): one line per event,
// "TOUCH OP DEVICE NODE"; a group marker reads grp<[CREATOR OBJECT, id ID]
// (its closing marker grp>[...]), where CREATOR is the touch point that opened
// it and ID is NULL for a group opened with a NULL id.

#include "tests/model/component_test_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace bindcheck::model::component_test {
namespace {

// ------------------------------------------------------------------ scenarios

// A master with one component, whose callbacks allocate nothing.
constexpr std::string_view kOneComponent = R"(
device H "0000:00:1f.3"
device I "0000:00:02.0"

driver hda on H {
  probe  { component_master_add_with_match audio match(i915_audio) }
  remove { component_master_del audio }
  master audio {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver i915 on I {
  probe  { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { }
  }
}
)";

// The 4136 shape (spec 4.1): the component's bind allocates on its own device
// and on the master's parent; hda allocates its iomap after adding the master;
// the component's unbind callback touches its own allocation (a USE line shows
// where the callback ran).
constexpr std::string_view kTakeDown = R"(
device H "0000:00:1f.3"
device I "0000:00:02.0"

driver hda on H {
  probe  { component_master_add_with_match audio match(i915_audio); devm pcim_iomap size 48 }
  remove { component_master_del audio }
  master audio {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver i915 on I {
  probe  { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { devm audio_priv size 16; devm audio_state on H size 8 }
    unbind { use audio_priv }
  }
}
)";

// Three components; the last one's bind may fail with -EIO (spec 2.6, 4.4 E).
constexpr std::string_view kRollback = R"(
device drm "display-subsystem"
device A   "a@1000"
device B   "b@2000"
device C   "c@3000"

driver display on drm {
  probe  { component_master_add_with_match agg match(comp_a, comp_b, comp_c) }
  remove { component_master_del agg }
  master agg {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver drv_a on A {
  probe  { component_add comp_a }
  remove { component_del comp_a }
  component comp_a {
    bind   { devm a_priv; devm a_state on drm }
    unbind { use a_priv }
  }
}

driver drv_b on B {
  probe  { component_add comp_b }
  remove { component_del comp_b }
  component comp_b {
    bind   { devm b_priv }
    unbind { use b_priv }
  }
}

driver drv_c on C {
  probe  { devm c_regs; component_add comp_c }
  remove { component_del comp_c }
  component comp_c {
    bind may_fail -EIO { devm c_priv; devm c_state on drm }
    unbind { use c_priv }
  }
}
)";

// One component whose bind may defer, and which allocates in its bind.
constexpr std::string_view kDefer = R"(
device H "0000:00:1f.3"
device I "0000:00:02.0"

driver hda on H {
  probe  { component_master_add_with_match audio match(i915_audio) }
  remove { component_master_del audio }
  master audio {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver i915 on I {
  probe  { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind may_fail -EPROBE_DEFER { devm audio_priv size 16 }
    unbind { }
  }
}
)";

// Two masters on different parents that both match the one component c.
constexpr std::string_view kTwoMasters = R"(
device P1 "parent-1"
device P2 "parent-2"
device D  "component-device"

driver one on P1 {
  probe { component_master_add_with_match m_one match(c) }
  master m_one {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver two on P2 {
  probe { component_master_add_with_match m_two match(c) }
  master m_two {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver cdrv on D {
  probe { component_add c }
  component c {
    bind   { }
    unbind { }
  }
}
)";

// m_one needs only c; m_two needs c and d.
constexpr std::string_view kClaim = R"(
device P1 "parent-1"
device P2 "parent-2"
device D  "c-device"
device E  "d-device"

driver one on P1 {
  probe { component_master_add_with_match m_one match(c) }
  master m_one {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver two on P2 {
  probe { component_master_add_with_match m_two match(c, d) }
  master m_two {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver cdrv on D {
  probe  { component_add c }
  remove { component_del c }
  component c {
    bind   { }
    unbind { }
  }
}

driver ddrv on E {
  probe { component_add d }
  component d {
    bind   { }
    unbind { }
  }
}
)";

// The one component is listed twice in the match.
constexpr std::string_view kDuplicate = R"(
device H "0000:00:1f.3"
device I "0000:00:02.0"

driver hda on H {
  probe  { component_master_add_with_match audio match(i915_audio, i915_audio) }
  remove { component_master_del audio }
  master audio {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver i915 on I {
  probe  { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { devm audio_priv size 16 }
    unbind { use audio_priv }
  }
}
)";

// A master whose bind does not bind its components (no component_bind_all)
// but whose unbind unbinds them: the master is bound, the component attached
// and never bound. The component's driver allocates in probe, so that its
// device's list is not empty at DT10.
constexpr std::string_view kUnbindUnbound = R"(
device H "0000:00:1f.3"
device I "0000:00:02.0"

driver hda on H {
  probe  { component_master_add_with_match audio match(i915_audio) }
  remove { component_master_del audio }
  master audio {
    bind   { }
    unbind { component_unbind_all }
  }
}

driver i915 on I {
  probe  { devm regs size 4; component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { use regs }
  }
}
)";

// As kUnbindUnbound, but the component's device has no devres at all.
constexpr std::string_view kUnbindUnboundEmptyList = R"(
device H "0000:00:1f.3"
device I "0000:00:02.0"

driver hda on H {
  probe  { component_master_add_with_match audio match(i915_audio) }
  master audio {
    bind   { }
    unbind { component_unbind_all }
  }
}

driver i915 on I {
  probe  { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { }
  }
}
)";

// The master's bind opens a group of its own and leaves it open (spec 3.2's hazard).
constexpr std::string_view kUnbalancedMasterBind = R"(
device H "0000:00:1f.3"
device I "0000:00:02.0"

driver hda on H {
  probe  { component_master_add_with_match audio match(i915_audio); devm pcim_iomap size 48 }
  remove { component_master_del audio }
  master audio {
    bind may_fail -EIO { devres_open_group; devm mbind_buf; component_bind_all }
    unbind { component_unbind_all }
  }
}

driver i915 on I {
  probe  { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { }
  }
}
)";

// hda allocates at runtime resume, after the master is bound; i915 may be
// unbound and bound again (spec 4.4 D).
constexpr std::string_view kRebind = R"(
device H "0000:00:1f.3"
device I "0000:00:02.0"

driver hda on H {
  probe  { component_master_add_with_match audio match(i915_audio) }
  remove { component_master_del audio }
  runtime_resume { devm pm_buf size 4 }
  master audio {
    bind   { component_bind_all }
    unbind { component_unbind_all }
  }
}

driver i915 on I {
  probe  { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { devm audio_state on H size 8 }
    unbind { }
  }
}

bound rebinds = 1
bound resumes = 2
)";

// The master's bind closes the latest open group itself, i.e. the master group.
constexpr std::string_view kMasterClosesItsGroup = R"(
device H "0000:00:1f.3"
device I "0000:00:02.0"

driver hda on H {
  probe  { component_master_add_with_match audio match(i915_audio) }
  remove { component_master_del audio }
  master audio {
    bind   { component_bind_all; devres_close_group }
    unbind { component_unbind_all }
  }
}

driver i915 on I {
  probe  { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind   { }
    unbind { }
  }
}
)";

std::string dt1_group(std::string_view variant, std::string_view master = "audio") {
    return "[DT1 " + std::string(master) + ", id " + (variant == "V1" ? "NULL" : std::string(master)) + "]";
}

std::string line(std::string_view prefix, const std::string& rest) { return std::string(prefix) + rest; }

// ------------------------------------------------------------ bring-up (2.4-2.6)

TEST_CASE("under V1 the master add logs DT0 and the bring-up opens DT1, DT3, DT4, then closes DT6 and removes DT7") {
    auto model = make_model(kOneComponent, "V1");
    Run run = run_schedule(*model, {"hda:probe", "hda"});
    REQUIRE(run.followed);

    // component_master_add_with_match: the match header on the parent (DT0);
    // find_components is incomplete, so no group is opened.
    CHECK(run.log() == "DT0 ADD H devm_component_match_release");
    CHECK(run.probe_result("hda") == 0);
    CHECK(run.master_registered("audio"));
    CHECK_FALSE(run.master_bound("audio"));

    extend(run, {"i915:probe", "i915"});
    REQUIRE(run.followed);

    // component_add completes the master: DT1 (NULL id), component_bind's
    // transient parent group (DT3), the component group by id (DT4), closed
    // with NULL (DT6), the transient group removed (DT7). No post-bind close.
    CHECK(run.log(2) == lines({
                            "DT1 ADD H grp<[DT1 audio, id NULL]",
                            "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                            "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                            "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                            "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                        }));
    CHECK(run.probe_result("i915") == 0);
    CHECK(run.master_bound("audio"));
    CHECK(run.component_bound("i915_audio"));
    CHECK(run.attached_to("i915_audio") == "audio");

    // The master group is left open (spec 2.5 step 6, 3.3).
    CHECK(run.list("H") == "devm_component_match_release grp<[DT1 audio, id NULL]");
    CHECK(run.list("I") == "grp<[DT4 i915_audio, id i915_audio] grp>[DT4 i915_audio, id i915_audio]");
    CHECK(run.world.open_framework_groups() == 1);

    // DT6 and DT7 look their group up with NULL; DT4's group carries the component as id.
    for (TouchPoint t : {TouchPoint::DT6, TouchPoint::DT7}) {
        CAPTURE(touch_name(t));
        const Events at = run.at(t);
        REQUIRE(at.size() == 1);
        CHECK(at[0].null_lookup);
    }
}

TEST_CASE("under V2 the bring-up opens the master group with id master and closes it with NULL after the bind") {
    auto model = make_model(kOneComponent, "V2");
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915"});
    REQUIRE(run.followed);

    CHECK(run.log(0, 2) == "DT0 ADD H devm_component_match_release");
    CHECK(run.log(2) == lines({
                            "DT1 ADD H grp<[DT1 audio, id audio]",
                            "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                            "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                            "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                            "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                            "PostBindClose ADD H grp>[DT1 audio, id audio]",
                        }));
    const Events close = run.at(TouchPoint::PostBindClose);
    REQUIRE(close.size() == 1);
    CHECK(close[0].null_lookup);

    CHECK(run.list("H") == "devm_component_match_release grp<[DT1 audio, id audio] grp>[DT1 audio, id audio]");
    CHECK(run.world.open_framework_groups() == 0);
    CHECK(run.master_bound("audio"));
}

TEST_CASE("under V0 the bring-up opens no master group and leaves no framework group open") {
    auto model = make_model(kOneComponent, "V0");
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915"});
    REQUIRE(run.followed);

    CHECK(run.log(0, 2) == "DT0 ADD H devm_component_match_release");
    CHECK(run.log(2) == lines({
                            "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                            "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                            "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                            "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                        }));
    CHECK(run.list("H") == "devm_component_match_release");
    CHECK(run.world.open_framework_groups() == 0);
    CHECK(run.master_bound("audio"));
}

TEST_CASE("the mutex is released with the V1 master group still open and the V2 one closed") {
    for (const char* variant : {"V1", "V2"}) {
        CAPTURE(variant);
        auto model = make_model(kOneComponent, variant);
        Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915"});
        REQUIRE(run.followed);
        int unlocks = 0, last = -1;
        for (const Event& e : run.events(3))
            if (e.kind == EventKind::MutexUnlock) {
                ++unlocks;
                last = e.open_framework_groups;
            }
        CHECK(unlocks == 1);
        CHECK(last == (std::string_view(variant) == "V1" ? 1 : 0));
    }
}

TEST_CASE("a component registered before its master is bound by component_master_add_with_match") {
    auto model = make_model(kOneComponent, "V2");
    Run run = run_schedule(*model, {"i915:probe", "i915"});
    REQUIRE(run.followed);

    // component_add finds no master: nothing on any device.
    CHECK(run.log().empty());
    CHECK(run.probe_result("i915") == 0);
    CHECK(run.component_registered("i915_audio"));
    CHECK_FALSE(run.component_bound("i915_audio"));

    extend(run, {"hda:probe", "hda"});
    REQUIRE(run.followed);
    // The master add runs DT0 and then the whole bring-up on hda's thread.
    CHECK(run.log(2) == lines({
                            "DT0 ADD H devm_component_match_release",
                            "DT1 ADD H grp<[DT1 audio, id audio]",
                            "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                            "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                            "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                            "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                            "PostBindClose ADD H grp>[DT1 audio, id audio]",
                        }));
    for (const Event& e : run.at(TouchPoint::DT4)) CHECK(e.thread == run.driver_index("hda"));
    CHECK(run.probe_result("hda") == 0);
    CHECK(run.master_bound("audio"));
    CHECK(run.component_bound("i915_audio"));
}

// ------------------------------------------------------- take-down (2.7, 2.8, 2.9)

TEST_CASE("under V1 component_del unbinds the component, releases its group by id (DT10), then every node after the open master group (DT11)") {
    auto model = make_model(kTakeDown, "V1");
    // Run B of spec 4.3: the master is added, i915 brings it up, then hda allocates its iomap.
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915", "hda"});
    REQUIRE(run.followed);
    CHECK(run.log(2) == lines({
                            "DT1 ADD H grp<[DT1 audio, id NULL]",
                            "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                            "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                            "Driver ADD I audio_priv",
                            "Driver ADD H audio_state",
                            "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                            "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                            "Driver ADD H pcim_iomap",
                        }));
    // audio_state was merged into the master group at DT7; the iomap lands in it too.
    CHECK(run.list("H") == "devm_component_match_release grp<[DT1 audio, id NULL] audio_state pcim_iomap");

    const std::size_t from = run.steps.size();
    extend(run, {"i915:remove", "i915*"});
    REQUIRE(run.followed);
    CHECK(run.log(from) == lines({
                               "USE audio_priv",
                               "DT10 REL I grp<[DT4 i915_audio, id i915_audio]",
                               "DT10 REL I audio_priv",
                               "DT11 REL H grp<[DT1 audio, id NULL]",
                               "DT11 REL H pcim_iomap",
                               "DT11 REL H audio_state",
                           }));
    for (const Event& e : run.at(TouchPoint::DT10, from)) CHECK_FALSE(e.null_lookup);
    for (const Event& e : run.at(TouchPoint::DT11, from)) {
        CHECK(e.null_lookup);
        CHECK(e.thread == run.driver_index("i915")); // another driver's thread frees hda's iomap
    }
    CHECK(run.list("H") == "devm_component_match_release");
    CHECK(run.list("I").empty());
    CHECK_FALSE(run.master_bound("audio"));
    CHECK(run.master_registered("audio"));
    CHECK_FALSE(run.component_registered("i915_audio"));
    CHECK(run.world.open_framework_groups() == 0);
}

TEST_CASE("under V2 component_del releases the component group (DT10) and the closed master group by id (DT11), not the iomap") {
    auto model = make_model(kTakeDown, "V2");
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915", "hda"});
    REQUIRE(run.followed);
    CHECK(run.list("H") == "devm_component_match_release grp<[DT1 audio, id audio] audio_state "
                           "grp>[DT1 audio, id audio] pcim_iomap");

    const std::size_t from = run.steps.size();
    extend(run, {"i915:remove", "i915*"});
    REQUIRE(run.followed);
    CHECK(run.log(from) == lines({
                               "USE audio_priv",
                               "DT10 REL I grp<[DT4 i915_audio, id i915_audio]",
                               "DT10 REL I audio_priv",
                               "DT11 REL H grp<[DT1 audio, id audio]",
                               "DT11 REL H audio_state",
                           }));
    for (const Event& e : run.at(TouchPoint::DT11, from)) CHECK_FALSE(e.null_lookup);
    CHECK(run.list("H") == "devm_component_match_release pcim_iomap");
    CHECK_FALSE(run.master_bound("audio"));
}

TEST_CASE("under V0 the take-down releases only the component group and leaves the parent untouched") {
    auto model = make_model(kTakeDown, "V0");
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915", "hda"});
    REQUIRE(run.followed);
    const std::size_t from = run.steps.size();
    extend(run, {"i915:remove", "i915*"});
    REQUIRE(run.followed);
    CHECK(run.log(from) == lines({
                               "USE audio_priv",
                               "DT10 REL I grp<[DT4 i915_audio, id i915_audio]",
                               "DT10 REL I audio_priv",
                           }));
    CHECK(run.list("H") == "devm_component_match_release audio_state pcim_iomap");
}

TEST_CASE("component_master_del takes the master down in hda's own remove, before the driver core releases hda's devres") {
    for (const char* variant : {"V1", "V2"}) {
        CAPTURE(variant);
        const bool v1 = std::string_view(variant) == "V1";
        auto model = make_model(kTakeDown, variant);
        Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915", "hda"});
        REQUIRE(run.followed);
        const std::size_t from = run.steps.size();
        extend(run, {"hda:remove", "hda*"});
        REQUIRE(run.followed);
        // Run C of spec 4.4.
        const std::string expected =
            v1 ? lines({"USE audio_priv", "DT10 REL I grp<[DT4 i915_audio, id i915_audio]", "DT10 REL I audio_priv",
                        "DT11 REL H grp<[DT1 audio, id NULL]", "DT11 REL H pcim_iomap", "DT11 REL H audio_state",
                        "DriverDetach REL H devm_component_match_release"})
               : lines({"USE audio_priv", "DT10 REL I grp<[DT4 i915_audio, id i915_audio]", "DT10 REL I audio_priv",
                        "DT11 REL H grp<[DT1 audio, id audio]", "DT11 REL H audio_state",
                        "DriverDetach REL H pcim_iomap", "DriverDetach REL H devm_component_match_release"});
        CHECK(run.log(from) == expected);
        CHECK_FALSE(run.master_registered("audio"));
        CHECK(run.component_registered("i915_audio"));
        CHECK_FALSE(run.component_bound("i915_audio"));
        CHECK(run.attached_to("i915_audio").empty()); // free_master detaches it
        CHECK(run.list("H").empty());
        CHECK(run.list("I").empty());
    }
}

TEST_CASE("under V1 every i915 unbind releases what hda allocated since the last bring-up, and the rebind opens a new group at the tail") {
    auto model = make_model(kRebind, "V1");
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915", "hda:resume", "hda*"});
    REQUIRE(run.followed);
    CHECK(run.list("H") == "devm_component_match_release grp<[DT1 audio, id NULL] audio_state pm_buf");

    std::size_t from = run.steps.size();
    extend(run, {"i915:remove", "i915*"});
    REQUIRE(run.followed);
    CHECK(run.log(from) == lines({
                               "DT10 REL I grp<[DT4 i915_audio, id i915_audio]",
                               "DT11 REL H grp<[DT1 audio, id NULL]",
                               "DT11 REL H pm_buf",
                               "DT11 REL H audio_state",
                           }));
    CHECK(run.list("H") == "devm_component_match_release");

    from = run.steps.size();
    extend(run, {"i915:probe", "i915", "hda:resume", "hda*"});
    REQUIRE(run.followed);
    CHECK(run.log(from) == lines({
                               "DT1 ADD H grp<[DT1 audio, id NULL]",
                               "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                               "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                               "Driver ADD H audio_state",
                               "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                               "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                               "Driver ADD H pm_buf",
                           }));
    from = run.steps.size();
    extend(run, {"i915:remove", "i915*"});
    REQUIRE(run.followed);
    CHECK(run.log(from) == lines({
                               "DT10 REL I grp<[DT4 i915_audio, id i915_audio]",
                               "DT11 REL H grp<[DT1 audio, id NULL]",
                               "DT11 REL H pm_buf",
                               "DT11 REL H audio_state",
                           }));
    CHECK(run.list("H") == "devm_component_match_release");
    CHECK(run.world.open_framework_groups() == 0);
}

TEST_CASE("under V2 hda's runtime allocations outlive i915's unbind and rebind") {
    auto model = make_model(kRebind, "V2");
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915", "hda:resume", "hda*", "i915:remove",
                                    "i915*", "i915:probe", "i915", "hda:resume", "hda*", "i915:remove", "i915*"});
    REQUIRE(run.followed);
    for (const Event& e : run.events())
        if (e.kind == EventKind::DevresRelease && e.node.kind == NodeKind::Resource)
            CHECK(model->scenario().resources[e.node.resource].name != "pm_buf");
    CHECK(run.list("H") == "devm_component_match_release pm_buf pm_buf");
}

TEST_CASE("under V2 a master bind that leaves its own group open gets that group closed by the post-bind close, and the take-down by id releases to the end of the list") {
    auto model = make_model(kUnbalancedMasterBind, "V2");
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915", "hda"});
    REQUIRE(run.followed);
    CHECK(run.log(2) == lines({
                            "DT1 ADD H grp<[DT1 audio, id audio]",
                            "Driver ADD H grp<[driver, id NULL]",
                            "Driver ADD H mbind_buf",
                            "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                            "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                            "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                            "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                            // spec 3.2: close(NULL) selects the latest open group, the driver's
                            "PostBindClose ADD H grp>[driver, id NULL]",
                            "Driver ADD H pcim_iomap",
                        }));
    CHECK(run.world.open_framework_groups() == 1); // the master group stays open

    const std::size_t from = run.steps.size();
    extend(run, {"i915:remove", "i915*"});
    REQUIRE(run.followed);
    // The open master group releases everything after it: the closed inner
    // group completes after it and is logged first (spec 1.5), then the
    // resources newest first, hda's iomap included.
    CHECK(run.log(from) == lines({
                               "DT10 REL I grp<[DT4 i915_audio, id i915_audio]",
                               "DT11 REL H grp<[driver, id NULL]",
                               "DT11 REL H grp<[DT1 audio, id audio]",
                               "DT11 REL H pcim_iomap",
                               "DT11 REL H mbind_buf",
                           }));
    CHECK(run.list("H") == "devm_component_match_release");
}

TEST_CASE("under V2 a failing master bind that left its own group open has DT2 release that inner group and leaves the master group open") {
    auto model = make_model(kUnbalancedMasterBind, "V2");
    // Choice points of the bring-up step: the master bind's may_fail (bit 0).
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915!1"});
    REQUIRE(run.followed);
    CHECK(run.log(2) == lines({
                            "DT1 ADD H grp<[DT1 audio, id audio]",
                            "Driver ADD H grp<[driver, id NULL]",
                            "Driver ADD H mbind_buf",
                            "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                            "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                            "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                            "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                            "DT2 REL H grp<[driver, id NULL]",
                            "DT2 REL H mbind_buf",
                            "MSG -5",
                        }));
    CHECK(run.list("H") == "devm_component_match_release grp<[DT1 audio, id audio]");
    CHECK(run.world.open_framework_groups() == 1);
    CHECK_FALSE(run.master_bound("audio"));
    // component_bind_all succeeded, so nothing unbinds the component: its closed
    // group stays on I; __component_add frees the record, and i915's probe
    // failure releases the group with the rest of I's devres.
    CHECK_FALSE(run.component_registered("i915_audio"));
    CHECK(run.list("I") == "grp<[DT4 i915_audio, id i915_audio] grp>[DT4 i915_audio, id i915_audio]");
    extend(run, {"i915"});
    REQUIRE(run.followed);
    CHECK(run.log(4) == "ProbeFailure REL I grp<[DT4 i915_audio, id i915_audio]");
    CHECK(run.probe_result("i915") == -5);
}

// ------------------------------------------------------- bind failure (2.5, 2.6, 2.9)

TEST_CASE("a failing component bind releases DT8 then DT9, unbinds the earlier components in reverse match order, releases the master group, and fails the triggering probe") {
    for (const char* variant : {"V1", "V2"}) {
        CAPTURE(variant);
        auto model = make_model(kRollback, variant);
        Run run = run_schedule(*model, {"display:probe", "display", "drv_a:probe", "drv_a", "drv_b:probe", "drv_b",
                                        "drv_c:probe", "drv_c"});
        REQUIRE(run.followed);
        CHECK(run.log(0) == lines({"DT0 ADD drm devm_component_match_release", "Driver ADD C c_regs"}));

        const std::size_t bring_up = run.steps.size();
        extend(run, {"drv_c!"});
        REQUIRE(run.followed);
        CHECK(run.log(bring_up) ==
              lines({
                  line("DT1 ADD drm grp<", dt1_group(variant, "agg")),
                  "DT3 ADD drm grp<[DT3 comp_a, id NULL]",
                  "DT4 ADD A grp<[DT4 comp_a, id comp_a]",
                  "Driver ADD A a_priv",
                  "Driver ADD drm a_state",
                  "DT6 ADD A grp>[DT4 comp_a, id comp_a]",
                  "DT7 REM drm grp<[DT3 comp_a, id NULL]",
                  "DT3 ADD drm grp<[DT3 comp_b, id NULL]",
                  "DT4 ADD B grp<[DT4 comp_b, id comp_b]",
                  "Driver ADD B b_priv",
                  "DT6 ADD B grp>[DT4 comp_b, id comp_b]",
                  "DT7 REM drm grp<[DT3 comp_b, id NULL]",
                  "DT3 ADD drm grp<[DT3 comp_c, id NULL]",
                  "DT4 ADD C grp<[DT4 comp_c, id comp_c]",
                  "Driver ADD C c_priv",
                  "Driver ADD drm c_state",
                  // component_bind's failure path, then "failed to bind ...: -5" (spec 1.8)
                  "DT8 REL C grp<[DT4 comp_c, id comp_c]",
                  "DT8 REL C c_priv",
                  "DT9 REL drm grp<[DT3 comp_c, id NULL]",
                  "DT9 REL drm c_state",
                  "MSG -5",
                  // component_bind_all unbinds the earlier components, last first
                  "USE b_priv",
                  "DT10 REL B grp<[DT4 comp_b, id comp_b]",
                  "DT10 REL B b_priv",
                  "USE a_priv",
                  "DT10 REL A grp<[DT4 comp_a, id comp_a]",
                  "DT10 REL A a_priv",
                  // the master bind failed: DT2 releases the master group with a_state, then the message
                  line("DT2 REL drm grp<", dt1_group(variant, "agg")),
                  "DT2 REL drm a_state",
                  "MSG -5",
              }));
        for (TouchPoint t : {TouchPoint::DT2, TouchPoint::DT8, TouchPoint::DT9})
            for (const Event& e : run.at(t, bring_up)) CHECK(e.null_lookup);

        // __component_add drops comp_c and returns the error; drv_c's probe fails
        // and the driver core releases drv_c's devres.
        const std::size_t failure = run.steps.size();
        extend(run, {"drv_c"});
        REQUIRE(run.followed);
        CHECK(run.log(failure) == "ProbeFailure REL C c_regs");
        CHECK(run.probe_result("drv_c") == -5);
        CHECK(run.phase("drv_c") == Phase::Unbound);

        // The master stays registered and unbound; the other components stay attached.
        CHECK(run.master_registered("agg"));
        CHECK_FALSE(run.master_bound("agg"));
        CHECK_FALSE(run.component_registered("comp_c"));
        CHECK(run.attached_to("comp_a") == "agg");
        CHECK(run.attached_to("comp_b") == "agg");
        CHECK_FALSE(run.component_bound("comp_a"));
        CHECK_FALSE(run.component_bound("comp_b"));
        CHECK(run.list("drm") == "devm_component_match_release");
        CHECK(run.list("A").empty());
        CHECK(run.list("B").empty());
        CHECK(run.list("C").empty());
        CHECK(run.world.open_framework_groups() == 0);
    }
}

TEST_CASE("a deferred component bind triggered by the master add frees the master and fails the master's probe without messages") {
    for (const char* variant : {"V1", "V2"}) {
        CAPTURE(variant);
        auto model = make_model(kDefer, variant);
        Run run = run_schedule(*model, {"i915:probe", "i915", "hda:probe", "hda!"});
        REQUIRE(run.followed);
        CHECK(run.probe_result("i915") == 0);
        CHECK(run.log(2) == lines({
                                "DT0 ADD H devm_component_match_release",
                                line("DT1 ADD H grp<", dt1_group(variant)),
                                "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                                "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                                "Driver ADD I audio_priv",
                                "DT8 REL I grp<[DT4 i915_audio, id i915_audio]",
                                "DT8 REL I audio_priv",
                                "DT9 REL H grp<[DT3 i915_audio, id NULL]",
                                line("DT2 REL H grp<", dt1_group(variant)),
                            }));
        CHECK_FALSE(run.emitted(EventKind::KernelMessage)); // -EPROBE_DEFER is not printed
        // free_master: unregistered, its component detached but still registered.
        CHECK_FALSE(run.master_registered("audio"));
        CHECK(run.component_registered("i915_audio"));
        CHECK(run.attached_to("i915_audio").empty());

        const std::size_t failure = run.steps.size();
        extend(run, {"hda"});
        REQUIRE(run.followed);
        CHECK(run.log(failure) == "ProbeFailure REL H devm_component_match_release");
        CHECK(run.probe_result("hda") == -517);
        CHECK(run.list("H").empty());
        CHECK(run.list("I").empty());
    }
}

// ------------------------------------------------ open_group failures (2.5, 2.6)

constexpr std::string_view kOneFailure = "\nbound open_group_failures = 1\n";

TEST_CASE("when the component group allocation (DT4) fails, DT5 releases the parent-side group and the master bind fails with -ENOMEM") {
    for (const char* variant : {"V1", "V2"}) {
        CAPTURE(variant);
        auto model = make_model(std::string(kOneComponent) + std::string(kOneFailure), variant);
        // Choice points of the bring-up step: DT1 (bit 0), DT3 (bit 1), DT4 (bit 2).
        Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915!4"});
        REQUIRE(run.followed);
        CHECK(run.log(3) == lines({
                                line("DT1 ADD H grp<", dt1_group(variant)),
                                "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                                "DT4 ENOMEM I",
                                "DT5 REL H grp<[DT3 i915_audio, id NULL]",
                                line("DT2 REL H grp<", dt1_group(variant)),
                                "MSG -12", // "master bind failed"; component_bind prints nothing here
                            }));
        for (const Event& e : run.at(TouchPoint::DT5)) CHECK(e.null_lookup);
        extend(run, {"i915"});
        REQUIRE(run.followed);
        CHECK(run.probe_result("i915") == -12);
        CHECK(run.master_registered("audio"));
        CHECK_FALSE(run.master_bound("audio"));
        CHECK_FALSE(run.component_registered("i915_audio"));
        CHECK(run.list("H") == "devm_component_match_release");
        CHECK(run.list("I").empty());
    }
}

TEST_CASE("when the parent-side group allocation (DT3) fails, component_bind returns -ENOMEM without releasing anything") {
    auto model = make_model(std::string(kOneComponent) + std::string(kOneFailure), "V1");
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915!2"});
    REQUIRE(run.followed);
    CHECK(run.log(3) == lines({
                            "DT1 ADD H grp<[DT1 audio, id NULL]",
                            "DT3 ENOMEM H",
                            "DT2 REL H grp<[DT1 audio, id NULL]",
                            "MSG -12",
                        }));
    extend(run, {"i915"});
    REQUIRE(run.followed);
    CHECK(run.probe_result("i915") == -12);
    CHECK(run.master_registered("audio"));
    CHECK_FALSE(run.master_bound("audio"));
    CHECK(run.list("H") == "devm_component_match_release");
}

TEST_CASE("when the master group allocation (DT1) fails under component_add, the error reaches the component's probe and the master stays registered") {
    auto model = make_model(std::string(kOneComponent) + std::string(kOneFailure), "V1");
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915!1"});
    REQUIRE(run.followed);
    CHECK(run.log(3) == "DT1 ENOMEM H"); // no bind, no DT2, no message
    extend(run, {"i915"});
    REQUIRE(run.followed);
    CHECK(run.probe_result("i915") == -12);
    CHECK(run.master_registered("audio"));
    CHECK_FALSE(run.master_bound("audio"));
    CHECK_FALSE(run.component_registered("i915_audio"));
    CHECK(run.list("H") == "devm_component_match_release");
}

TEST_CASE("when the master group allocation (DT1) fails under the master add, free_master runs and the master's probe fails with -ENOMEM") {
    auto model = make_model(std::string(kOneComponent) + std::string(kOneFailure), "V1");
    Run run = run_schedule(*model, {"i915:probe", "i915", "hda:probe", "hda!1"});
    REQUIRE(run.followed);
    CHECK(run.log(2) == lines({"DT0 ADD H devm_component_match_release", "DT1 ENOMEM H"}));
    CHECK_FALSE(run.master_registered("audio"));
    CHECK(run.component_registered("i915_audio"));
    CHECK(run.attached_to("i915_audio").empty());
    extend(run, {"hda"});
    REQUIRE(run.followed);
    CHECK(run.log(4) == "ProbeFailure REL H devm_component_match_release");
    CHECK(run.probe_result("hda") == -12);
}

// ------------------------------------------------------ masters list order (2.5)

TEST_CASE("component_add tries the newest master first and binds only that one") {
    SUBCASE("m_one registered first") {
        auto model = make_model(kTwoMasters, "V2");
        Run run = run_schedule(*model, {"one:probe", "one", "two:probe", "two", "cdrv:probe", "cdrv"});
        REQUIRE(run.followed);
        CHECK(run.log(4) == lines({
                                "DT1 ADD P2 grp<[DT1 m_two, id m_two]",
                                "DT3 ADD P2 grp<[DT3 c, id NULL]",
                                "DT4 ADD D grp<[DT4 c, id c]",
                                "DT6 ADD D grp>[DT4 c, id c]",
                                "DT7 REM P2 grp<[DT3 c, id NULL]",
                                "PostBindClose ADD P2 grp>[DT1 m_two, id m_two]",
                            }));
        CHECK(run.master_bound("m_two"));
        CHECK_FALSE(run.master_bound("m_one"));
        CHECK(run.attached_to("c") == "m_two");
        CHECK(run.list("P1") == "devm_component_match_release");
    }
    SUBCASE("m_two registered first") {
        auto model = make_model(kTwoMasters, "V2");
        Run run = run_schedule(*model, {"two:probe", "two", "one:probe", "one", "cdrv:probe", "cdrv"});
        REQUIRE(run.followed);
        CHECK(run.log(4) == lines({
                                "DT1 ADD P1 grp<[DT1 m_one, id m_one]",
                                "DT3 ADD P1 grp<[DT3 c, id NULL]",
                                "DT4 ADD D grp<[DT4 c, id c]",
                                "DT6 ADD D grp>[DT4 c, id c]",
                                "DT7 REM P1 grp<[DT3 c, id NULL]",
                                "PostBindClose ADD P1 grp>[DT1 m_one, id m_one]",
                            }));
        CHECK(run.master_bound("m_one"));
        CHECK_FALSE(run.master_bound("m_two"));
        CHECK(run.attached_to("c") == "m_one");
        CHECK(run.list("P2") == "devm_component_match_release");
    }
}

TEST_CASE("a newer incomplete master keeps the component it attached, so an older complete master is not brought up") {
    auto model = make_model(kClaim, "V2");
    Run run = run_schedule(*model, {"one:probe", "one", "two:probe", "two", "cdrv:probe", "cdrv"});
    REQUIRE(run.followed);
    // find_components of m_two attaches c and stops at d; m_one then finds c
    // attached to a different master (spec 2.3: side effect even when refused).
    CHECK(run.log(4).empty());
    CHECK(run.attached_to("c") == "m_two");
    CHECK_FALSE(run.master_bound("m_one"));
    CHECK_FALSE(run.master_bound("m_two"));

    extend(run, {"ddrv:probe", "ddrv"});
    REQUIRE(run.followed);
    CHECK(run.log(6) == lines({
                            "DT1 ADD P2 grp<[DT1 m_two, id m_two]",
                            "DT3 ADD P2 grp<[DT3 c, id NULL]",
                            "DT4 ADD D grp<[DT4 c, id c]",
                            "DT6 ADD D grp>[DT4 c, id c]",
                            "DT7 REM P2 grp<[DT3 c, id NULL]",
                            "DT3 ADD P2 grp<[DT3 d, id NULL]",
                            "DT4 ADD E grp<[DT4 d, id d]",
                            "DT6 ADD E grp>[DT4 d, id d]",
                            "DT7 REM P2 grp<[DT3 d, id NULL]",
                            "PostBindClose ADD P2 grp>[DT1 m_two, id m_two]",
                        }));
    CHECK(run.master_bound("m_two"));
    CHECK_FALSE(run.master_bound("m_one"));
}

TEST_CASE("component_del of a component attached to an incomplete master releases nothing and detaches it") {
    auto model = make_model(kClaim, "V2");
    Run run = run_schedule(*model, {"one:probe", "one", "two:probe", "two", "cdrv:probe", "cdrv"});
    REQUIRE(run.followed);
    REQUIRE(run.attached_to("c") == "m_two");
    const std::size_t from = run.steps.size();
    extend(run, {"cdrv:remove", "cdrv*"});
    REQUIRE(run.followed);
    CHECK(run.log(from).empty());
    CHECK_FALSE(run.component_registered("c"));
    for (const MatchEntry& entry : run.world.masters.at(static_cast<std::size_t>(run.master_index("m_two"))).entries)
        CHECK(entry.component == -1);
    CHECK(run.master_registered("m_two"));
}

// ------------------------------------------------------------ duplicates (2.3)

TEST_CASE("a component listed twice in the match is bound once and unbound once") {
    auto model = make_model(kDuplicate, "V2");
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915"});
    REQUIRE(run.followed);
    CHECK(run.log(2) == lines({
                            "DT1 ADD H grp<[DT1 audio, id audio]",
                            "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                            "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                            "Driver ADD I audio_priv",
                            "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                            "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                            "PostBindClose ADD H grp>[DT1 audio, id audio]",
                        }));
    const auto& entries = run.world.masters.at(static_cast<std::size_t>(run.master_index("audio"))).entries;
    REQUIRE(entries.size() == 2);
    CHECK_FALSE(entries[0].duplicate);
    CHECK(entries[1].duplicate);

    const std::size_t from = run.steps.size();
    extend(run, {"i915:remove", "i915*"});
    REQUIRE(run.followed);
    CHECK(run.log(from) == lines({
                               "USE audio_priv",
                               "DT10 REL I grp<[DT4 i915_audio, id i915_audio]",
                               "DT10 REL I audio_priv",
                               "DT11 REL H grp<[DT1 audio, id audio]",
                           }));
}

// ---------------------------------------------- unbind of an unbound component (1.8, 2.7)

TEST_CASE("under V1 to V3 component_unbind of an unbound component warns, still runs the unbind callback, then DT10 misses its group") {
    for (const char* variant : {"V1", "V2", "V3"}) {
        CAPTURE(variant);
        auto model = make_model(kUnbindUnbound, variant);
        Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915", "i915"});
        REQUIRE(run.followed);
        // The master bind does not bind the component; the master is bound anyway.
        CHECK(run.master_bound("audio"));
        CHECK_FALSE(run.component_bound("i915_audio"));
        CHECK(run.attached_to("i915_audio") == "audio");
        CHECK(run.list("I") == "regs");

        const std::size_t from = run.steps.size();
        extend(run, {"i915:remove", "i915"});
        REQUIRE(run.followed);
        CHECK(run.log(from) == lines({
                                   "WARN UnbindUnbound",
                                   "USE regs",
                                   "DT10 WARN I GroupNotFound",
                                   line("DT11 REL H grp<", dt1_group(variant)),
                               }));
    }
}

TEST_CASE("under V4 component_unbind of an unbound component only warns and returns") {
    auto model = make_model(kUnbindUnbound, "V4");
    Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915", "i915"});
    REQUIRE(run.followed);
    const std::size_t from = run.steps.size();
    extend(run, {"i915:remove", "i915"});
    REQUIRE(run.followed);
    CHECK(run.log(from) == lines({
                               "WARN UnbindUnbound",
                               "DT11 REL H grp<[DT1 audio, id audio]",
                           }));
    CHECK(run.list("I") == "regs");
}

TEST_CASE("under V3 the DT10 miss on an empty device list is silent, under V2 it warns") {
    for (const char* variant : {"V2", "V3"}) {
        CAPTURE(variant);
        auto model = make_model(kUnbindUnboundEmptyList, variant);
        Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915", "i915:remove", "i915"});
        REQUIRE(run.followed);
        const std::string expected = std::string_view(variant) == "V2"
                                         ? lines({"WARN UnbindUnbound", "DT10 WARN I GroupNotFound",
                                                  "DT11 REL H grp<[DT1 audio, id audio]"})
                                         : lines({"WARN UnbindUnbound", "DT11 REL H grp<[DT1 audio, id audio]"});
        CHECK(run.log(4) == expected);
    }
}

// ----------------------------------------------------- bad registrations (2.9)

TEST_CASE("component_del of a component that was never added warns ComponentDelNotFound") {
    auto model = make_model(R"(
device D "d"
driver drv on D {
  probe  { }
  remove { component_del c }
  component c { bind { }; unbind { } }
}
)",
                            "V2");
    Run run = run_schedule(*model, {"drv:probe", "drv:remove", "drv*"});
    REQUIRE(run.followed);
    CHECK(run.log() == "WARN ComponentDelNotFound");
    CHECK(run.phase("drv") == Phase::Unbound);
}

TEST_CASE("component_add_typed with subcomponent 0 warns and fails the probe with -EINVAL") {
    auto model = make_model(R"(
device D "d"
driver drv on D {
  probe { devm regs size 4; component_add_typed c 0 }
  component c { bind { }; unbind { } }
}
)",
                            "V2");
    Run run = run_schedule(*model, {"drv:probe", "drv*"});
    REQUIRE(run.followed);
    CHECK(run.log() == lines({"Driver ADD D regs", "WARN TypedSubcomponentZero", "ProbeFailure REL D regs"}));
    CHECK(run.probe_result("drv") == -22);
    CHECK_FALSE(run.component_registered("c"));
}

TEST_CASE("component_add_typed with a non-zero subcomponent registers the component like component_add") {
    auto model = make_model(R"(
device D "d"
driver drv on D {
  probe { component_add_typed c 1 }
  component c { bind { }; unbind { } }
}
)",
                            "V2");
    Run run = run_schedule(*model, {"drv:probe", "drv*"});
    REQUIRE(run.followed);
    CHECK(run.log().empty());
    CHECK(run.probe_result("drv") == 0);
    CHECK(run.component_registered("c"));
}

TEST_CASE("component_master_del of a master that was never added does nothing and does not warn") {
    auto model = make_model(R"(
device H "h"
driver hda on H {
  probe  { }
  remove { component_master_del audio }
  master audio { bind { }; unbind { } }
}
)",
                            "V2");
    Run run = run_schedule(*model, {"hda:probe", "hda:remove", "hda*"});
    REQUIRE(run.followed);
    CHECK(run.log().empty());
    CHECK(run.phase("hda") == Phase::Unbound);
}

TEST_CASE("a master bind that closes the master group itself makes V1's DT11 miss, and V2's post-bind close miss") {
    SUBCASE("V1") {
        auto model = make_model(kMasterClosesItsGroup, "V1");
        Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915"});
        REQUIRE(run.followed);
        CHECK(run.log(2) == lines({
                                "DT1 ADD H grp<[DT1 audio, id NULL]",
                                "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                                "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                                "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                                "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                                "Driver ADD H grp>[DT1 audio, id NULL]",
                            }));
        CHECK(run.world.open_framework_groups() == 0);
        const std::size_t from = run.steps.size();
        extend(run, {"i915:remove", "i915*"});
        REQUIRE(run.followed);
        // DT11 looks for the latest open group on H: there is none.
        CHECK(run.log(from) == lines({
                                   "DT10 REL I grp<[DT4 i915_audio, id i915_audio]",
                                   "DT11 WARN H GroupNotFound",
                               }));
        CHECK(run.list("H") == "devm_component_match_release grp<[DT1 audio, id NULL] grp>[DT1 audio, id NULL]");
    }
    SUBCASE("V2") {
        auto model = make_model(kMasterClosesItsGroup, "V2");
        Run run = run_schedule(*model, {"hda:probe", "hda", "i915:probe", "i915"});
        REQUIRE(run.followed);
        CHECK(run.log(2) == lines({
                                "DT1 ADD H grp<[DT1 audio, id audio]",
                                "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                                "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                                "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                                "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                                "Driver ADD H grp>[DT1 audio, id audio]",
                                "PostBindClose WARN H GroupNotFound",
                            }));
        CHECK(run.master_bound("audio"));
        const std::size_t from = run.steps.size();
        extend(run, {"i915:remove", "i915*"});
        REQUIRE(run.followed);
        CHECK(run.log(from) == lines({
                                   "DT10 REL I grp<[DT4 i915_audio, id i915_audio]",
                                   "DT11 REL H grp<[DT1 audio, id audio]",
                               }));
    }
}

// ------------------------------------------- resources present before probing (1.6)

TEST_CASE("a devm allocation on another driver's unbound device makes that device's probe fail with -EBUSY without releasing anything") {
    auto model = make_model(R"(
device A "a"
device B "b"
driver other on A {
  probe { devm stray on B size 8 }
}
driver victim on B {
  probe { devm own size 4 }
}
)",
                            "V2");
    Run run = run_schedule(*model, {"other:probe", "other*", "victim:probe"});
    REQUIRE(run.followed);
    CHECK(run.log() == lines({"Driver ADD B stray", "WARN B ResourcesPresentBeforeProbing"}));
    CHECK(run.probe_result("victim") == -16);
    CHECK(run.phase("victim") == Phase::Unbound);
    CHECK_FALSE(run.emitted(EventKind::DevresRelease));
    CHECK(run.list("B") == "stray");
}

// ------------------------------------------------------- devres granularity (2.2)

TEST_CASE("at devres granularity the same order of calls gives the same devres events as at call granularity") {
    for (const char* variant : {"V1", "V2"}) {
        CAPTURE(variant);
        // hda probes completely (master add not ready, then the iomap), i915
        // brings the master up, then i915 and hda are removed.
        auto call = make_model(kTakeDown, variant, Granularity::Call);
        Run coarse = run_schedule(*call, {"hda:probe", "hda", "hda", "i915:probe", "i915", "i915:remove", "i915*",
                                          "hda:remove", "hda*"});
        auto devres = make_model(kTakeDown, variant, Granularity::Devres);
        Run fine = run_schedule(*devres, {"hda:probe", "hda*", "i915:probe", "i915*", "i915:remove", "i915*",
                                          "hda:remove", "hda*"});
        REQUIRE(coarse.followed);
        REQUIRE(fine.followed);
        CHECK(fine.steps.size() > coarse.steps.size());
        CHECK(fine.log() == coarse.log());
        // The iomap precedes the master group here, so no variant frees it at DT11.
        const std::string dt1 = dt1_group(variant);
        const std::string expected = lines({
            "DT0 ADD H devm_component_match_release",
            "Driver ADD H pcim_iomap",
            line("DT1 ADD H grp<", dt1),
            "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
            "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
            "Driver ADD I audio_priv",
            "Driver ADD H audio_state",
            "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
            "DT7 REM H grp<[DT3 i915_audio, id NULL]",
        });
        const std::string post_bind = std::string_view(variant) == "V2" ? line("\nPostBindClose ADD H grp>", dt1) : "";
        CHECK(coarse.log() == expected + post_bind + "\n" +
                                  lines({
                                      "USE audio_priv",
                                      "DT10 REL I grp<[DT4 i915_audio, id i915_audio]",
                                      "DT10 REL I audio_priv",
                                      line("DT11 REL H grp<", dt1),
                                      "DT11 REL H audio_state",
                                      "DriverDetach REL H pcim_iomap",
                                      "DriverDetach REL H devm_component_match_release",
                                  }));
        CHECK(fine.list("H").empty());
    }
}

TEST_CASE("under V2 an iomap hda adds while i915's bring-up sits between DT1 and the post-bind close is freed by i915's component_del") {
    auto model = make_model(kTakeDown, "V2", Granularity::Devres);
    // hda's master add returns not ready; i915's component_add opens DT1 on H;
    // hda's probe goes on and adds its iomap; then i915's bring-up completes.
    Run run = run_schedule(*model, {"hda:probe", "hda>DT0"});
    REQUIRE(run.followed);
    // Finish the master add (lock, insert, find, unlock) but stop before the iomap.
    for (int k = 0; k < 20 && run.followed; ++k) {
        if (run.emitted(EventKind::MutexUnlock)) break;
        extend(run, {"hda"});
    }
    REQUIRE(run.emitted(EventKind::MutexUnlock));
    CHECK(run.list("H") == "devm_component_match_release");

    extend(run, {"i915:probe", "i915>DT1", "hda", "i915*"});
    REQUIRE(run.followed);
    CHECK(run.log() == lines({
                           "DT0 ADD H devm_component_match_release",
                           "DT1 ADD H grp<[DT1 audio, id audio]",
                           "Driver ADD H pcim_iomap",
                           "DT3 ADD H grp<[DT3 i915_audio, id NULL]",
                           "DT4 ADD I grp<[DT4 i915_audio, id i915_audio]",
                           "Driver ADD I audio_priv",
                           "Driver ADD H audio_state",
                           "DT6 ADD I grp>[DT4 i915_audio, id i915_audio]",
                           "DT7 REM H grp<[DT3 i915_audio, id NULL]",
                           "PostBindClose ADD H grp>[DT1 audio, id audio]",
                       }));
    // INV-15: the iomap is added by hda's thread into a group opened for i915's bring-up.
    bool intrudes = false;
    for (const Event& e : run.events())
        if (e.kind == EventKind::DevresAdd && e.node.kind == NodeKind::Resource &&
            model->scenario().resources[e.node.resource].name == "pcim_iomap")
            intrudes = e.intrudes_framework_group;
    CHECK(intrudes);
    CHECK(run.list("H") == "devm_component_match_release grp<[DT1 audio, id audio] pcim_iomap audio_state "
                           "grp>[DT1 audio, id audio]");

    const std::size_t from = run.steps.size();
    extend(run, {"i915:remove", "i915*"});
    REQUIRE(run.followed);
    CHECK(run.log(from) == lines({
                               "USE audio_priv",
                               "DT10 REL I grp<[DT4 i915_audio, id i915_audio]",
                               "DT10 REL I audio_priv",
                               "DT11 REL H grp<[DT1 audio, id audio]",
                               "DT11 REL H audio_state",
                               "DT11 REL H pcim_iomap",
                           }));
}

} // namespace
} // namespace bindcheck::model::component_test
