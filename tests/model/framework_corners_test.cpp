// Corners of component.c that only a whole scenario reaches: a component or
// master registered twice (beyond what the model represents, reported as a
// WARN), and component_unbind_all finding a different master on the same
// parent, one whose entries have no component (a NULL dereference: BUG).

#include <doctest/doctest.h>

#include "tests/support/run_check.hpp"

using bindcheck::model::Granularity;
using bindcheck::testing::run_check;

TEST_CASE("adding the same component twice is reported and fails the second add") {
    const char* text = R"(
device a "a"
driver d on a {
  probe { component_add c ; component_add c }
  remove { component_del c }
  component c { bind { } }
}
)";
    auto run = run_check(text, "V2", Granularity::Call);
    REQUIRE(run.violated.count("devres-warn"));
    CHECK(run.reasons["devres-warn"] == "WARN: a component or master registered twice");
    // The failed second add fails the probe, which leaves the first registered (INV-13).
    CHECK(run.violated.count("leak"));
}

TEST_CASE("component_unbind_all finds the newest master on the parent, even one still incomplete") {
    // Two masters share hda; b, added after a bound, is found first by
    // __master_find(parent) in a's unbind, and its entry has no component.
    const char* text = R"(
device hda "hda"
device ca "ca"
device cb "cb"
driver m on hda {
  probe {
    component_master_add_with_match a match(c1)
    component_master_add_with_match b match(c2)
  }
  master a { bind { component_bind_all } unbind { component_unbind_all } }
  master b { bind { component_bind_all } unbind { component_unbind_all } }
}
driver p on ca {
  probe { component_add c1 }
  remove { component_del c1 }
  component c1 { bind { } }
}
driver q on cb {
  component c2 { bind { } }
}
)";
    auto run = run_check(text, "V2", Granularity::Call);
    REQUIRE(run.violated.count("devres-warn"));
    CHECK(run.reasons["devres-warn"] == "BUG: a match entry without a component is dereferenced");
}
