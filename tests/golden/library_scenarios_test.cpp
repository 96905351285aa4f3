// The scenario library (scenarios/library): what each scenario's header says
// happens on its path, beyond the verdicts its "# expect" lines hold.

#include <doctest/doctest.h>

#include <string>

#include "tests/golden/scenario_run.hpp"

namespace {

using namespace bindcheck;
using model::Action;
using model::EventKind;
using model::TouchPoint;
using model::WarnKind;
using testing::first_event;
using testing::index_named;
using testing::ScheduledRun;

// Outcomes of the choice points one step meets, in the order it meets them.
constexpr std::uint16_t kFirstFails = 1;
constexpr std::uint16_t kSecondFails = 2;

bool warned(const model::Events& log, WarnKind kind, TouchPoint touch) {
    return first_event(log, [&](const model::Event& e) {
               return e.kind == EventKind::Warn && e.warn == kind && e.touch == touch;
           }) >= 0;
}

int warn_count(const model::Events& log) {
    int n = 0;
    for (const auto& e : log) n += e.kind == EventKind::Warn;
    return n;
}

auto releases_resource(int resource) {
    return [resource](const model::Event& e) {
        return (e.kind == EventKind::DevresRelease || e.kind == EventKind::DevresRemove) &&
               e.node.kind == model::NodeKind::Resource && e.node.resource == resource && e.frees_resource;
    };
}

} // namespace

TEST_CASE("xe + mei_hdcp: component_del on xe's emptied list WARNs at DT10 until 8e1ddfada453") {
    const char* path = "scenarios/library/xe-mei-hdcp.bind";
    for (const std::string variant : {"V2", "V3"}) {
        CAPTURE(variant);
        const auto m = testing::load_model(path, variant, model::Granularity::Call);
        const auto& s = m.scenario();
        const int xe = index_named(s.drivers, "xe"), mei = index_named(s.drivers, "mei_hdcp");
        ScheduledRun run(m);
        REQUIRE(run.take(mei, Action::Probe));
        run.run_on(mei);
        REQUIRE(run.take(xe, Action::Probe));
        run.run_on(xe);
        REQUIRE(first_event(run.log(), [](const model::Event& e) { return e.kind == EventKind::MasterBound; }) >= 0);
        REQUIRE(run.take(xe, Action::Remove));
        run.run_on(xe);
        const bool silent = variant == "V3";
        CHECK(warned(run.log(), WarnKind::GroupNotFound, TouchPoint::DT10) == !silent);
        CHECK(warn_count(run.log()) == (silent ? 0 : 1));
        // The take-down still runs: mei's master group goes either way.
        CHECK(first_event(run.log(), [](const model::Event& e) {
                  return e.kind == EventKind::DevresRelease && e.touch == TouchPoint::DT11;
              }) >= 0);
    }
}

TEST_CASE("MSM: unbinding never-bound components runs their unbind before 5bcca36898aa, not after") {
    const char* path = "scenarios/library/msm-unbind-never-bound.bind";
    for (const std::string variant : {"V1", "V3", "V4"}) {
        CAPTURE(variant);
        const auto m = testing::load_model(path, variant, model::Granularity::Call);
        const auto& s = m.scenario();
        const int msm = index_named(s.drivers, "msm"), dpu = index_named(s.drivers, "msm_dpu"),
                  adreno = index_named(s.drivers, "adreno");
        ScheduledRun run(m);
        for (int driver : {msm, dpu, adreno}) {
            REQUIRE(run.take(driver, Action::Probe));
            run.run_on(driver);
        }
        REQUIRE(run.take(dpu, Action::Remove));
        run.run_on(dpu);
        const bool returns_early = variant == "V4";
        // The WARN of component_unbind stays in every variant, once per component.
        CHECK(warned(run.log(), WarnKind::UnbindUnbound, TouchPoint::Driver));
        int unbind_warns = 0;
        for (const auto& e : run.log()) unbind_warns += e.kind == EventKind::Warn && e.warn == WarnKind::UnbindUnbound;
        CHECK(unbind_warns == 2);
        // Before V4 adreno_unbind runs on a GPU that never bound, and DT10 misses.
        CHECK(warned(run.log(), WarnKind::DevmFreeNotFound, TouchPoint::Driver) == !returns_early);
        CHECK(warned(run.log(), WarnKind::GroupNotFound, TouchPoint::DT10) == !returns_early);
    }
}

TEST_CASE("Rockchip: a component_add that fails leaves no entry behind, and the retry binds") {
    const auto m = testing::load_model("scenarios/library/rockchip-failed-add.bind", "V2", model::Granularity::Call);
    const auto& s = m.scenario();
    const int drm = index_named(s.drivers, "rockchip_drm"), vop = index_named(s.drivers, "rockchip_vop"),
              hdmi = index_named(s.drivers, "dw_hdmi_rockchip");
    const int dw_hdmi = index_named(s.components, "dw_hdmi");
    ScheduledRun run(m);
    for (int driver : {drm, vop}) {
        REQUIRE(run.take(driver, Action::Probe));
        run.run_on(driver);
    }
    REQUIRE(run.take(hdmi, Action::Probe));
    run.run_on(hdmi, kFirstFails);
    const auto& log = run.log();
    const long detached = first_event(log, [&](const model::Event& e) {
        return e.kind == EventKind::ComponentDetached && e.component == dw_hdmi;
    });
    const long unregistered = first_event(log, [&](const model::Event& e) {
        return e.kind == EventKind::ComponentUnregistered && e.component == dw_hdmi;
    });
    const long probe_failed = first_event(log, [&](const model::Event& e) {
        return e.kind == EventKind::ProbeEnd && e.thread == hdmi && e.value == model::kEPROBE_DEFER;
    });
    REQUIRE((detached >= 0 && unregistered >= 0 && probe_failed >= 0));
    CHECK(detached < unregistered);
    CHECK(unregistered < probe_failed);
    CHECK(first_event(log, [](const model::Event& e) { return e.kind == EventKind::MasterBound; }) == -1);
    // The deferred probe runs again and the aggregate comes up.
    REQUIRE(run.take(hdmi, Action::Probe));
    run.run_on(hdmi);
    CHECK(first_event(run.log(), [](const model::Event& e) { return e.kind == EventKind::MasterBound; }) >= 0);
}

TEST_CASE("TH1520: the rollback releases the HDMI bridge before the master group takes the DRM device") {
    const auto m =
        testing::load_model("scenarios/library/th1520-deferred-rollback.bind", "V2", model::Granularity::Call);
    const auto& s = m.scenario();
    const int drm = index_named(s.drivers, "vs_drm"), hdmi = index_named(s.drivers, "dw_hdmi_th1520"),
              dc = index_named(s.drivers, "vs_dc");
    const int bridge = index_named(s.resources, "hdmi_bridge"), drm_device = index_named(s.resources, "drm_device");
    ScheduledRun run(m);
    for (int driver : {drm, hdmi}) {
        REQUIRE(run.take(driver, Action::Probe));
        run.run_on(driver);
    }
    REQUIRE(run.take(dc, Action::Probe));
    run.run_on(dc, kFirstFails);  // the HDMI bind has no choice point, the DC bind defers
    const auto& log = run.log();
    const long bridge_gone = first_event(log, releases_resource(bridge));
    const long drm_gone = first_event(log, releases_resource(drm_device));
    REQUIRE((bridge_gone >= 0 && drm_gone >= 0));
    CHECK(log[static_cast<std::size_t>(bridge_gone)].touch == TouchPoint::DT10);
    CHECK(log[static_cast<std::size_t>(drm_gone)].touch == TouchPoint::DT2);
    CHECK(bridge_gone < drm_gone);
}

TEST_CASE("-EPROBE_DEFER from a component bind is rolled back without the error messages, -ENOMEM is not") {
    const auto m = testing::load_model("scenarios/library/eprobe-defer-noise.bind", "V2", model::Granularity::Call);
    const auto& s = m.scenario();
    const int drm = index_named(s.drivers, "vc4_drm"), hdmi = index_named(s.drivers, "vc4_hdmi"),
              dsi = index_named(s.drivers, "vc4_dsi");
    auto message = [](TouchPoint touch, int error) {
        return [=](const model::Event& e) {
            return e.kind == EventKind::KernelMessage && e.touch == touch && e.value == error;
        };
    };
    auto rolled_back = [](const model::Events& log) {
        return first_event(log, [](const model::Event& e) { return e.touch == TouchPoint::DT9; }) >= 0 &&
               first_event(log, [](const model::Event& e) { return e.touch == TouchPoint::DT2; }) >= 0;
    };
    SUBCASE("the HDMI component defers") {
        ScheduledRun run(m);
        for (int driver : {drm, dsi}) {
            REQUIRE(run.take(driver, Action::Probe));
            run.run_on(driver);
        }
        REQUIRE(run.take(hdmi, Action::Probe));
        run.run_on(hdmi, kFirstFails);
        CHECK(rolled_back(run.log()));
        CHECK(first_event(run.log(), [](const model::Event& e) { return e.kind == EventKind::KernelMessage; }) == -1);
    }
    SUBCASE("the DSI component fails with -ENOMEM") {
        ScheduledRun run(m);
        for (int driver : {drm, hdmi}) {
            REQUIRE(run.take(driver, Action::Probe));
            run.run_on(driver);
        }
        REQUIRE(run.take(dsi, Action::Probe));
        run.run_on(dsi, kSecondFails);  // the HDMI bind goes on, the DSI bind fails
        CHECK(rolled_back(run.log()));
        CHECK(first_event(run.log(), message(TouchPoint::DT9, model::kENOMEM)) >= 0);
        CHECK(first_event(run.log(), message(TouchPoint::DT2, model::kENOMEM)) >= 0);
    }
}
