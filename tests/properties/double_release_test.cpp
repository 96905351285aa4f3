// double-release (INV-7, resources): each resource is released once, by
// devres or by its driver's own hand.

#include "tests/properties/property_test_support.hpp"

namespace bindcheck::testing::properties_test {
namespace {

constexpr const char* kProperty = "double-release";

TEST_CASE("freeing a devm buffer by hand in remove makes the detach release it a second time") {
    // probe (1), devm (1), remove (1), free (1), release_all at detach (1).
    const CheckRun run = run_check(R"(device dev "dev0"
driver d on dev {
  probe  { devm buf size 16 }
  remove { free buf }
}
)");
    check_violated(run, kProperty, 5, "devres releases buf, which d already freed by hand");
}

TEST_CASE("a devm buffer left to devres is released once, at detach") {
    const CheckRun run = run_check(R"(device dev "dev0"
driver d on dev {
  probe  { devm buf size 16 }
  remove { use buf }
}
)");
    check_holds(run, kProperty);
    CHECK(run.violated.empty());
}

TEST_CASE("devm_free in remove takes the buffer off the list, so the detach does not release it again") {
    const CheckRun run = run_check(R"(device dev "dev0"
driver d on dev {
  probe  { devm buf size 16 }
  remove { devm_free buf }
}
)");
    check_holds(run, kProperty);
    CHECK(run.violated.empty());
}

TEST_CASE("freeing the same buffer twice by hand is caught at the second free") {
    // probe (1), devm (1), remove (1), free (1), free again (1).
    const CheckRun run = run_check(R"(device dev "dev0"
driver d on dev {
  probe  { devm buf size 16 }
  remove { free buf ; free buf }
}
)");
    check_violated(run, kProperty, 5, "d frees buf, which was already released");
}

} // namespace
} // namespace bindcheck::testing::properties_test
