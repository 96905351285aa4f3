// use-after-free (INV-2): a driver only uses resources that are live.

#include "tests/properties/property_test_support.hpp"

namespace bindcheck::testing::properties_test {
namespace {

constexpr const char* kProperty = "use-after-free";

TEST_CASE("under V1 snd_hda_intel's runtime resume after i915's unbind reads the freed iomap") {
    // The 7 steps of foreign-free's V1 trace (spec 4.2 steps 1-17), then hda's
    // runtime resume starts (1) and reads through the mapping (1), as in spec
    // 4.2 step 20.
    const CheckRun run = run_check(issue_4136(true), "V1", Granularity::Call);
    check_violated(run, kProperty, 9, "snd_hda_intel uses pcim_iomap after devres released it");
}

TEST_CASE("with the fix and whole framework calls snd_hda_intel's runtime resume finds its iomap live") {
    const CheckRun run = run_check(issue_4136(true), "V2", Granularity::Call);
    check_holds(run, kProperty);
    CHECK(run.violated.empty());
}

TEST_CASE("with the fix the completion race still ends in a use of the freed iomap") {
    // Spec 4.3: the 26 steps of foreign-free's race trace, then the resume (2).
    const CheckRun run = run_check(issue_4136(true), "V2", Granularity::Devres);
    check_violated(run, kProperty, 28, "snd_hda_intel uses pcim_iomap after devres released it");
}

TEST_CASE("a driver that frees a buffer by hand and then uses it is caught") {
    // probe starts (1), devm (2), free (3), use (4).
    const CheckRun run = run_check(R"(device dev "dev0"
driver d on dev {
  probe { devm buf size 16 ; free buf ; use buf }
}
)");
    check_violated(run, kProperty, 4, "d uses buf after freeing it itself");
}

TEST_CASE("a driver that uses its buffer in probe and remove, before devres releases it, is fine") {
    const CheckRun run = run_check(R"(device dev "dev0"
driver d on dev {
  probe  { devm buf size 16 ; use buf }
  remove { use buf }
}
)");
    check_holds(run, kProperty);
    CHECK(run.violated.empty());
}

} // namespace
} // namespace bindcheck::testing::properties_test
