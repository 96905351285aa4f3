// The pieces of the BFS bookkeeping: the search tree's paths and the rule
// that a finding is replaced only by a strictly shorter occurrence.

#include "checker/search_tree.hpp"
#include "checker/shortest_findings.hpp"

#include <doctest/doctest.h>

#include <vector>

namespace bindcheck::checker::test {
namespace {

using Steps = std::vector<std::uint32_t>;

TEST_CASE("search tree: paths walk up to the root")
{
    SearchTree tree;
    tree.add_root();     // 0
    tree.add(0, 10);     // 1
    tree.add(0, 11);     // 2
    tree.add(1, 12);     // 3
    tree.add(3, 13);     // 4
    CHECK(tree.size() == 5);
    CHECK(tree.path_to(0).empty());
    CHECK(tree.path_to(2) == Steps{11});
    CHECK(tree.path_to(4) == Steps{10, 12, 13});
    CHECK(tree.memory_bytes() >= 5 * 8);
}

TEST_CASE("shortest findings: first among equals, replaced only by shorter")
{
    SearchTree tree;
    tree.add_root();
    tree.add(0, 7); // 1
    tree.add(0, 8); // 2

    ShortestFindings findings;
    CHECK_FALSE(findings.all_found(0)); // an empty stopping set never stops
    findings.record(0b101, {1, 1, 0, false});  // bits 0, 2 at state 1
    findings.record(0b001, {1, 2, 0, false});  // same length: the first stays
    findings.record(0b010, {2, 2, 9, true});   // bit 1 on step 9 out of state 2
    CHECK(findings.found() == 0b111);
    CHECK(findings.all_found(0b011));
    CHECK_FALSE(findings.all_found(0b1000));
    CHECK(findings.any_longer_than(0b010, 1));
    CHECK_FALSE(findings.any_longer_than(0b101, 1));
    CHECK_FALSE(findings.any_longer_than(0b1000, 0)); // not found: not longer

    findings.record(0b010, {0, 0, 0, false}); // bit 1 at the root: shorter, replaces
    CHECK_FALSE(findings.any_longer_than(0b111, 1));

    const auto result = findings.to_findings(tree);
    REQUIRE(result.size() == 3);
    CHECK(result[0].bit == 0);
    CHECK(result[0].steps == Steps{7});
    CHECK(result[1].bit == 1);
    CHECK(result[1].steps.empty());
    CHECK(result[2].bit == 2);
    CHECK(result[2].steps == Steps{7});

    ShortestFindings via_step;
    via_step.record(FindingMask{1} << 63, {2, 2, 9, true});
    const auto high = via_step.to_findings(tree);
    REQUIRE(high.size() == 1);
    CHECK(high[0].bit == 63);
    CHECK(high[0].steps == Steps{8, 9});
}

} // namespace
} // namespace bindcheck::checker::test
