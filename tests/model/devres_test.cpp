// Tests of model/devres against the kernel semantics spec, sections 1.3-1.8:
// adding, group open/find/close/remove/release, the color rule for partly
// covered groups, release order, release_all and devres_release. Every
// expected list and event sequence below was derived by hand from the spec.
//
// Notation in comments and strings: rN a resource, X< / X> the opening and
// closing markers of group X, oldest node first; "+free" marks an event whose
// release callback ran.

#include "model/devres.hpp"

#include "tests/model/devres_test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace bindcheck::model::devres_test {
namespace {

// ---------------------------------------------------------------- adding (1.2)

TEST_CASE("devres_add appends the resource at the tail and logs one ADD of that node") {
    Device d;
    const Node r1 = d.add("r1", 1);
    CHECK(d.list_string() == "r1");
    CHECK(d.list.back() == r1);
    CHECK(d.take_events() == "ADD r1");

    d.add("r2", 2, Context::MasterBind);
    CHECK(d.list_string() == "r1 r2");
    CHECK(d.take_events() == "ADD r2");

    d.open("A", named_id(0));
    d.take_events();
    d.add("r3", 3, Context::ComponentBind);
    CHECK(d.list_string() == "r1 r2 A< r3");
    CHECK(d.take_events() == "ADD r3");
}

TEST_CASE("devres_add of a second node of the same resource keeps both nodes") {
    Device d;
    d.add("r1a", 1);
    d.add("r1b", 1);
    CHECK(d.list_string() == "r1a r1b");
    CHECK(d.take_events() == "ADD r1a, ADD r1b");
}

// ---------------------------------------------------------- opening (1.3)

TEST_CASE("devres_open_group appends only an opening marker carrying the id and creator") {
    Device d;
    d.add("r0", 0);
    d.take_events();

    const Node s = d.open("S", null_id());
    CHECK(d.list_string() == "r0 S<");
    CHECK(d.take_events() == "ADD S<");
    CHECK(s.id.is_null());
    CHECK(s.creator == GroupCreator::Driver);

    const Node m = d.open("M", master_id(0), GroupCreator::DT1, 2);
    CHECK(d.take_events() == "ADD M<");
    CHECK(m.id == master_id(0));
    CHECK(m.creator == GroupCreator::DT1);
    CHECK(m.creator_object == 2);

    const Node c = d.open("C", component_id(1), GroupCreator::DT3, 1);
    CHECK(d.take_events() == "ADD C<");
    CHECK(c.id == component_id(1));
    CHECK(c.creator == GroupCreator::DT3);
    CHECK(c.creator_object == 1);

    const Node n = d.open("N", named_id(2), GroupCreator::Driver, 0);
    CHECK(d.take_events() == "ADD N<");
    CHECK(n.id == named_id(2));

    CHECK(d.list_string() == "r0 S< M< C< N<");
    // Opening never links a closing marker: every group is open.
    for (const Node& g : {s, m, c, n}) CHECK_FALSE(group_is_closed(d.list, g.tag));
    // Tags tell the groups apart.
    const std::vector<std::uint8_t> tags{s.tag, m.tag, c.tag, n.tag};
    for (std::size_t i = 0; i < tags.size(); ++i)
        for (std::size_t j = i + 1; j < tags.size(); ++j) CHECK(tags[i] != tags[j]);
}

TEST_CASE("a group opened after another was removed stays distinct from every group on the list") {
    Device d;
    d.open("A", named_id(0));
    const Node b = d.open("B", null_id());
    d.remove(named_id(0));
    CHECK(d.list_string() == "B<");
    const Node c = d.open("C", null_id());
    CHECK(c.tag != b.tag);
    d.close(null_id()); // C, the latest open group
    d.close(null_id()); // then B
    CHECK(d.list_string() == "B< C< C> B>");
    d.take_events();
}

// ------------------------------------------------------------ find_group (1.3)

TEST_CASE("find_group with a NULL id returns the latest open group and skips later closed ones") {
    Device d;
    CHECK_FALSE(find_group(d.list, null_id()).has_value());
    d.open("A", null_id());
    d.add("r1", 1);
    d.open("B", named_id(1));
    d.add("r2", 2);
    d.close(named_id(1));
    REQUIRE(d.list_string() == "A< r1 B< r2 B>");
    CHECK(find_group(d.list, null_id()) == std::optional<std::size_t>{0});

    d.open("C", null_id());
    CHECK(find_group(d.list, null_id()) == std::optional<std::size_t>{5});
    d.close(null_id());
    REQUIRE(d.list_string() == "A< r1 B< r2 B> C< C>");
    CHECK(find_group(d.list, null_id()) == std::optional<std::size_t>{0});
    d.close(null_id());
    CHECK(d.list_string() == "A< r1 B< r2 B> C< C> A>");
    CHECK_FALSE(find_group(d.list, null_id()).has_value());
}

TEST_CASE("find_group with a NULL id finds an open group with an id too") {
    Device d;
    d.open("M", master_id(0));
    d.open("S", null_id());
    d.close(null_id());
    REQUIRE(d.list_string() == "M< S< S>");
    CHECK(find_group(d.list, null_id()) == std::optional<std::size_t>{0});
}

TEST_CASE("find_group with an id returns the latest group with that id, open or closed") {
    Device d;
    d.open("A", master_id(0));
    d.add("r1", 1);
    d.close(master_id(0));
    REQUIRE(d.list_string() == "A< r1 A>");
    CHECK(find_group(d.list, master_id(0)) == std::optional<std::size_t>{0}); // closed, still found

    d.open("B", master_id(0));
    CHECK(find_group(d.list, master_id(0)) == std::optional<std::size_t>{3}); // latest wins

    d.close(master_id(0));
    REQUIRE(d.list_string() == "A< r1 A> B< B>");
    CHECK(find_group(d.list, master_id(0)) == std::optional<std::size_t>{3}); // closed, latest still wins
}

TEST_CASE("find_group with an id prefers a later closed group over an earlier open one") {
    Device d;
    d.open("A", named_id(1));
    d.add("r1", 1);
    d.open("B", named_id(1));
    d.close(named_id(1)); // closes B, the latest
    REQUIRE(d.list_string() == "A< r1 B< B>");
    CHECK(find_group(d.list, named_id(1)) == std::optional<std::size_t>{2});
    CHECK(find_group(d.list, null_id()) == std::optional<std::size_t>{0}); // NULL: the open one
}

TEST_CASE("find_group tells Master, Component and Named ids with the same value apart") {
    Device d;
    d.open("M", master_id(1));
    d.open("C", component_id(1));
    d.open("N", named_id(1));
    CHECK(find_group(d.list, master_id(1)) == std::optional<std::size_t>{0});
    CHECK(find_group(d.list, component_id(1)) == std::optional<std::size_t>{1});
    CHECK(find_group(d.list, named_id(1)) == std::optional<std::size_t>{2});
    CHECK_FALSE(find_group(d.list, master_id(0)).has_value());
    CHECK_FALSE(find_group(d.list, component_id(2)).has_value());
    CHECK_FALSE(find_group(d.list, named_id(0)).has_value());

    d.close(component_id(1));
    CHECK(d.list_string() == "M< C< N< C>");
    d.take_events();
}

TEST_CASE("a group opened with a NULL id is found only by NULL lookups") {
    Device d;
    d.open("S", null_id());
    CHECK(find_group(d.list, null_id()) == std::optional<std::size_t>{0});
    CHECK_FALSE(find_group(d.list, master_id(0)).has_value());
    CHECK_FALSE(find_group(d.list, component_id(0)).has_value());
    CHECK_FALSE(find_group(d.list, named_id(0)).has_value());
}

TEST_CASE("find_group finds nothing on an empty list or a list of resources only") {
    Device d;
    CHECK_FALSE(find_group(d.list, null_id()).has_value());
    CHECK_FALSE(find_group(d.list, named_id(0)).has_value());
    d.add("r1", 1);
    d.add("r2", 2);
    CHECK_FALSE(find_group(d.list, null_id()).has_value());
    CHECK_FALSE(find_group(d.list, master_id(0)).has_value());
}

// --------------------------------------------------------------- closing (1.3)

TEST_CASE("devres_close_group appends the closing marker at the tail, after everything added since the open") {
    Device d;
    const Node a = d.open("A", master_id(0));
    d.add("r1", 1);
    d.open("B", null_id());
    d.add("r2", 2);
    d.take_events();

    d.close(master_id(0));
    CHECK(d.list_string() == "A< r1 B< r2 A>");
    REQUIRE(d.out.size() == 1);
    const Event e = d.out.front();
    CHECK(e.kind == EventKind::DevresAdd);
    CHECK(e.node.kind == NodeKind::GroupClose);
    CHECK(e.node.tag == a.tag);
    CHECK(e.selected_group == a);
    CHECK_FALSE(e.null_lookup);
    CHECK(d.take_events() == "ADD A>");
    CHECK(group_is_closed(d.list, a.tag));
    CHECK_FALSE(group_is_closed(d.list, d.node("B<").tag));
}

TEST_CASE("devres_close_group with a NULL id closes the latest open group, not a later closed one") {
    Device d;
    const Node a = d.open("A", null_id());
    d.add("r1", 1);
    d.open("B", named_id(0));
    d.add("r2", 2);
    d.close(named_id(0));
    d.take_events();

    d.close(null_id());
    CHECK(d.list_string() == "A< r1 B< r2 B> A>");
    REQUIRE(d.out.size() == 1);
    CHECK(d.out.front().null_lookup);
    CHECK(d.out.front().selected_group == a);
    CHECK(d.take_events() == "ADD A>");
}

TEST_CASE("devres_close_group that finds no group warns GroupNotFound and leaves the list unchanged") {
    Device d;
    SUBCASE("NULL id on an empty list") {
        d.close(null_id());
        CHECK(d.list_string() == "");
        REQUIRE(d.out.size() == 1);
        CHECK(d.out.front().kind == EventKind::Warn);
        CHECK(d.out.front().warn == WarnKind::GroupNotFound);
        CHECK_FALSE(d.out.front().group_found);
        CHECK(d.out.front().null_lookup);
        CHECK(d.take_events() == "WARN GroupNotFound");
    }
    SUBCASE("NULL id when every group is closed") {
        d.open("A", named_id(0));
        d.add("r1", 1);
        d.close(named_id(0));
        d.take_events();
        d.close(null_id());
        CHECK(d.list_string() == "A< r1 A>");
        CHECK(d.take_events() == "WARN GroupNotFound");
    }
    SUBCASE("an id no group has") {
        d.add("r1", 1);
        d.open("A", named_id(0));
        d.take_events();
        d.close(master_id(0));
        d.close(named_id(1));
        CHECK(d.list_string() == "r1 A<");
        CHECK(d.take_events() == "WARN GroupNotFound, WARN GroupNotFound");
        REQUIRE(d.out.empty());
    }
}

TEST_CASE("closing an already closed group by its id logs the ADD line, then BUG CloseClosedGroup, and leaves the list unchanged") {
    Device d;
    const Node a = d.open("A", master_id(0));
    d.add("r1", 1);
    d.close(master_id(0));
    d.add("r2", 2);
    d.take_events();
    REQUIRE(d.list_string() == "A< r1 A> r2");
    const DevresList before = d.list;

    d.close(master_id(0));
    CHECK(d.list == before);
    REQUIRE(d.out.size() == 2);
    CHECK(d.out[0].kind == EventKind::DevresAdd);
    CHECK(d.out[0].node.kind == NodeKind::GroupClose);
    CHECK(d.out[0].node.tag == a.tag);
    CHECK(d.out[1].kind == EventKind::Bug);
    CHECK(d.out[1].bug == BugKind::CloseClosedGroup);
    CHECK(d.take_events() == "ADD A>, BUG CloseClosedGroup");
}

TEST_CASE("closing by id hits the BUG when the latest group with that id is closed, even if an earlier one is open") {
    Device d;
    d.open("A", component_id(1));
    d.add("r1", 1);
    d.open("B", component_id(1));
    d.close(component_id(1)); // closes B
    d.take_events();
    REQUIRE(d.list_string() == "A< r1 B< B>");

    d.close(component_id(1)); // finds B again, not the open A
    CHECK(d.list_string() == "A< r1 B< B>");
    CHECK(d.take_events() == "ADD B>, BUG CloseClosedGroup");
}

// -------------------------------------------------------------- removing (1.3)

TEST_CASE("devres_remove_group unlinks both markers of a closed group and leaves its contents in place") {
    Device d;
    d.add("r0", 0);
    const Node a = d.open("A", named_id(0));
    d.add("r1", 1);
    d.open("B", null_id());
    d.add("r2", 2);
    d.close(null_id());
    d.add("r3", 3);
    d.close(named_id(0));
    d.take_events();
    REQUIRE(d.list_string() == "r0 A< r1 B< r2 B> r3 A>");

    d.remove(named_id(0));
    CHECK(d.list_string() == "r0 r1 B< r2 B> r3");
    REQUIRE(d.out.size() == 1);
    CHECK(d.out.front().kind == EventKind::DevresRemove);
    CHECK(d.out.front().node == a);
    CHECK_FALSE(d.out.front().frees_resource);
    CHECK(d.out.front().selected_group == a);
    CHECK(d.take_events() == "REM A<");
}

TEST_CASE("devres_remove_group of an open group merges its resources into the enclosing group") {
    Device d;
    d.open("A", named_id(0));
    d.add("r1", 1);
    d.open("B", null_id());
    d.add("r2", 2);
    d.take_events();

    d.remove(null_id()); // B, the latest open group
    CHECK(d.list_string() == "A< r1 r2");
    CHECK(d.take_events() == "REM B<");

    d.add("r3", 3);
    d.close(null_id()); // now A
    CHECK(d.list_string() == "A< r1 r2 r3 A>");
    d.take_events();

    // r2 now belongs to A and leaves with it.
    CHECK(d.release(named_id(0)) == 3);
    CHECK(d.take_events() == "REL A<, REL r3 +free, REL r2 +free, REL r1 +free");
    CHECK(d.list_string() == "");
}

TEST_CASE("devres_remove_group with an id removes the latest group with that id, closed or open") {
    Device d;
    SUBCASE("latest open, earlier closed") {
        d.open("A", master_id(0));
        d.add("r1", 1);
        d.close(master_id(0));
        d.open("B", master_id(0));
        d.add("r2", 2);
        d.take_events();
        REQUIRE(d.list_string() == "A< r1 A> B< r2");
        d.remove(master_id(0));
        CHECK(d.list_string() == "A< r1 A> r2");
        CHECK(d.take_events() == "REM B<");
        d.remove(master_id(0));
        CHECK(d.list_string() == "r1 r2");
        CHECK(d.take_events() == "REM A<");
        d.remove(master_id(0));
        CHECK(d.list_string() == "r1 r2");
        CHECK(d.take_events() == "WARN GroupNotFound");
    }
    SUBCASE("latest closed, earlier open") {
        d.open("A", master_id(0));
        d.add("r1", 1);
        d.open("B", master_id(0));
        d.close(master_id(0));
        d.take_events();
        REQUIRE(d.list_string() == "A< r1 B< B>");
        d.remove(master_id(0));
        CHECK(d.list_string() == "A< r1");
        CHECK(d.take_events() == "REM B<");
    }
}

TEST_CASE("devres_remove_group that finds no group warns GroupNotFound and changes nothing") {
    Device d;
    d.remove(null_id());
    CHECK(d.list_string() == "");
    REQUIRE(d.out.size() == 1);
    CHECK_FALSE(d.out.front().group_found);
    CHECK(d.take_events() == "WARN GroupNotFound");

    d.add("r1", 1);
    d.open("A", named_id(0));
    d.close(named_id(0));
    d.take_events();
    d.remove(null_id());      // A is closed
    d.remove(component_id(0)); // no such id
    CHECK(d.list_string() == "r1 A< A>");
    CHECK(d.take_events() == "WARN GroupNotFound, WARN GroupNotFound");
}

// --------------------------------------------------------- release_group (1.3-1.5)

TEST_CASE("releasing an open group releases everything added after it, whoever added it, including later closed and open groups") {
    Device d;
    d.add("r0", 0);
    const Node a = d.open("A", master_id(0), GroupCreator::DT1, 0);
    d.add("r1", 1, Context::MasterBind);
    d.open("B", named_id(1));
    d.add("r2", 2, Context::ComponentBind);
    d.close(named_id(1));
    d.open("C", null_id(), GroupCreator::DT3, 1);
    d.add("r3", 3);
    d.take_events();
    REQUIRE(d.list_string() == "r0 A< r1 B< r2 B> C< r3");

    // Range A<..end. Completion order of pass 2: A (at A<, open), B (at B>),
    // C (at C<, open); logged in reverse, then resources newest first.
    CHECK(d.release(master_id(0)) == 3);
    CHECK(d.list_string() == "r0");
    const Events events = d.out;
    CHECK(d.take_events() == "REL C<, REL B<, REL A<, REL r3 +free, REL r2 +free, REL r1 +free");
    for (const Event& e : events) {
        CHECK(e.selected_group == a);
        CHECK_FALSE(e.null_lookup);
    }
}

TEST_CASE("releasing the latest open group by a NULL id releases a later closed group too") {
    Device d;
    d.add("r0", 0);
    d.open("A", null_id());
    d.add("r1", 1);
    d.open("B", named_id(1));
    d.add("r2", 2);
    d.close(named_id(1));
    d.take_events();
    REQUIRE(d.list_string() == "r0 A< r1 B< r2 B>");

    CHECK(d.release(null_id()) == 2);
    CHECK(d.list_string() == "r0");
    CHECK(d.take_events() == "REL B<, REL A<, REL r2 +free, REL r1 +free");
}

TEST_CASE("releasing a closed group releases exactly its range, and properly nested groups fully") {
    Device d;
    d.add("r0", 0);
    d.open("A", master_id(0));
    d.add("r1", 1);
    d.open("B", named_id(1));
    d.add("r2", 2);
    d.close(named_id(1));
    d.add("r3", 3);
    d.close(master_id(0));
    d.add("r4", 4);
    d.take_events();
    REQUIRE(d.list_string() == "r0 A< r1 B< r2 B> r3 A> r4");

    // Range A<..A>. B completes at B>, A at A>: logged A then B.
    CHECK(d.release(master_id(0)) == 3);
    CHECK(d.list_string() == "r0 r4");
    CHECK(d.take_events() == "REL A<, REL B<, REL r3 +free, REL r2 +free, REL r1 +free");
}

TEST_CASE("releasing a closed group fully releases an open group opened inside it") {
    Device d;
    d.open("A", master_id(0));
    d.open("B", null_id());
    d.add("r1", 1);
    d.close(master_id(0));
    d.take_events();
    REQUIRE(d.list_string() == "A< B< r1 A>");

    // B completes at B< (open), A at A>: logged A then B.
    CHECK(d.release(master_id(0)) == 1);
    CHECK(d.list_string() == "");
    CHECK(d.take_events() == "REL A<, REL B<, REL r1 +free");
}

TEST_CASE("releasing a closed group partly releases a group opened before it and closed inside it") {
    Device d;
    const Node b = d.open("B", named_id(1));
    d.add("r1", 1);
    d.open("A", master_id(0));
    d.add("r2", 2);
    d.close(named_id(1));
    d.add("r3", 3);
    d.close(master_id(0));
    d.add("r4", 4);
    d.take_events();
    REQUIRE(d.list_string() == "B< r1 A< r2 B> r3 A> r4");

    // Range A< r2 B> r3 A>: B has color 1, its markers stay; r2 (inside B) and r3 go.
    CHECK(d.release(master_id(0)) == 2);
    CHECK(d.list_string() == "B< r1 B> r4");
    CHECK(d.take_events() == "REL A<, REL r3 +free, REL r2 +free");
    CHECK(group_is_closed(d.list, b.tag));

    // B is still a complete closed group.
    CHECK(d.release(named_id(1)) == 1);
    CHECK(d.list_string() == "r4");
    CHECK(d.take_events() == "REL B<, REL r1 +free");
}

TEST_CASE("releasing a closed group partly releases a group opened inside it and closed after it") {
    Device d;
    d.open("A", master_id(0));
    d.add("r1", 1);
    const Node b = d.open("B", named_id(1));
    d.add("r2", 2);
    d.close(master_id(0));
    d.add("r3", 3);
    d.close(named_id(1));
    d.take_events();
    REQUIRE(d.list_string() == "A< r1 B< r2 A> r3 B>");

    // Range A< r1 B< r2 A>: B has color 1, its markers stay; r2 (inside B) goes.
    CHECK(d.release(master_id(0)) == 2);
    CHECK(d.list_string() == "B< r3 B>");
    CHECK(d.take_events() == "REL A<, REL r2 +free, REL r1 +free");
    CHECK(group_is_closed(d.list, b.tag));

    CHECK(d.release(named_id(1)) == 1);
    CHECK(d.list_string() == "");
    CHECK(d.take_events() == "REL B<, REL r3 +free");
}

TEST_CASE("releasing an open group partly releases a closed group opened before it and closed after it") {
    Device d;
    d.open("B", named_id(1));
    d.add("r1", 1);
    d.open("A", master_id(0));
    d.add("r2", 2);
    d.close(named_id(1));
    d.add("r3", 3);
    d.take_events();
    REQUIRE(d.list_string() == "B< r1 A< r2 B> r3");

    // Range A<..end: A released; B> alone has color 1, B's markers stay.
    CHECK(d.release(master_id(0)) == 2);
    CHECK(d.list_string() == "B< r1 B>");
    CHECK(d.take_events() == "REL A<, REL r3 +free, REL r2 +free");
}

TEST_CASE("releasing by id picks the latest group with that id even when it is closed and an earlier one is open") {
    Device d;
    d.open("A", named_id(0));
    d.add("r1", 1);
    d.open("B", named_id(0));
    d.add("r2", 2);
    d.close(named_id(0)); // closes B
    d.add("r3", 3);
    d.take_events();
    REQUIRE(d.list_string() == "A< r1 B< r2 B> r3");

    CHECK(d.release(named_id(0)) == 1);
    CHECK(d.list_string() == "A< r1 r3");
    CHECK(d.take_events() == "REL B<, REL r2 +free");
}

TEST_CASE("release order: two resources of a group are released newest first") {
    Device d;
    d.open("A", named_id(0));
    d.add("r1", 1);
    d.add("r2", 2);
    d.close(named_id(0));
    d.take_events();
    CHECK(d.release(named_id(0)) == 2);
    CHECK(d.take_events() == "REL A<, REL r2 +free, REL r1 +free");
    CHECK(d.list_string() == "");
}

TEST_CASE("release order: closed B nested in closed A logs REL A then REL B") {
    Device d;
    d.open("A", named_id(0));
    d.open("B", named_id(1));
    d.close(named_id(1));
    d.close(named_id(0));
    d.take_events();
    REQUIRE(d.list_string() == "A< B< B> A>");
    CHECK(d.release(named_id(0)) == 0);
    CHECK(d.take_events() == "REL A<, REL B<");
    CHECK(d.list_string() == "");
}

TEST_CASE("release order: open A followed by closed B logs REL B then REL A") {
    Device d;
    d.open("A", named_id(0));
    d.open("B", named_id(1));
    d.close(named_id(1));
    d.take_events();
    REQUIRE(d.list_string() == "A< B< B>");
    CHECK(d.release(named_id(0)) == 0);
    CHECK(d.take_events() == "REL B<, REL A<");
    CHECK(d.list_string() == "");
}

TEST_CASE("release order: group markers are logged before every resource, and closing markers never") {
    Device d;
    d.open("A", named_id(0));
    d.add("r1", 1);
    d.open("B", named_id(1));
    d.add("r2", 2);
    d.close(named_id(1));
    d.add("r3", 3);
    d.close(named_id(0));
    d.take_events();
    CHECK(d.release(named_id(0)) == 3);
    const Events events = d.out;
    CHECK(d.take_events() == "REL A<, REL B<, REL r3 +free, REL r2 +free, REL r1 +free");
    for (const Event& e : events) {
        CHECK(e.kind == EventKind::DevresRelease);
        CHECK(e.node.kind != NodeKind::GroupClose);
        CHECK(e.frees_resource == (e.node.kind == NodeKind::Resource));
    }
}

TEST_CASE("releasing a group that is not found warns GroupNotFound and releases nothing") {
    Device d;
    d.add("r1", 1);
    d.open("A", named_id(0));
    d.add("r2", 2);
    d.close(named_id(0));
    d.take_events();

    CHECK(d.release(null_id()) == 0); // A is closed
    CHECK(d.release(master_id(0)) == 0);
    CHECK(d.list_string() == "r1 A< r2 A>");
    REQUIRE(d.out.size() == 2);
    CHECK_FALSE(d.out[0].group_found);
    CHECK(d.out[0].null_lookup);
    CHECK_FALSE(d.out[1].null_lookup);
    CHECK(d.take_events() == "WARN GroupNotFound, WARN GroupNotFound");
}

TEST_CASE("a release_group miss on an empty list warns unless release_group_on_empty_list_is_silent") {
    Device d;
    SUBCASE("not silent (V0-V2): both lookups warn") {
        d.release_group_on_empty_list_is_silent = false;
        CHECK(d.release(null_id()) == 0);
        CHECK(d.release(component_id(0)) == 0);
        CHECK(d.take_events() == "WARN GroupNotFound, WARN GroupNotFound");
    }
    SUBCASE("silent (V3+): no event at all") {
        d.release_group_on_empty_list_is_silent = true;
        CHECK(d.release(null_id()) == 0);
        CHECK(d.release(component_id(0)) == 0);
        CHECK(d.take_events() == "");
    }
    SUBCASE("silent, but the list is not empty: the miss still warns") {
        d.release_group_on_empty_list_is_silent = true;
        d.add("r1", 1);
        d.open("A", named_id(0));
        d.close(named_id(0));
        d.take_events();
        CHECK(d.release(null_id()) == 0);
        CHECK(d.release(master_id(0)) == 0);
        CHECK(d.take_events() == "WARN GroupNotFound, WARN GroupNotFound");
        CHECK(d.list_string() == "r1 A< A>");
    }
}

TEST_CASE("remove and close misses warn even on an empty list when release_group is silent there") {
    Device d;
    d.release_group_on_empty_list_is_silent = true;
    d.close(null_id());
    d.remove(null_id());
    CHECK(d.take_events() == "WARN GroupNotFound, WARN GroupNotFound");
}

// --------------------------------------------------------------- release_all (1.6)

TEST_CASE("devres_release_all releases every node of a list with open and closed groups in the spec's order") {
    Device d;
    d.add("r0", 0);
    d.open("A", null_id());
    d.add("r1", 1);
    d.open("B", named_id(1));
    d.add("r2", 2);
    d.close(named_id(1));
    d.open("C", master_id(0));
    d.add("r3", 3);
    d.take_events();
    REQUIRE(d.list_string() == "r0 A< r1 B< r2 B> C< r3");

    // Completion: A (open, at A<), B (at B>), C (open, at C<).
    CHECK(d.release_all() == 4);
    CHECK(d.list_string() == "");
    CHECK(d.take_events() == "REL C<, REL B<, REL A<, REL r3 +free, REL r2 +free, REL r1 +free, REL r0 +free");
}

TEST_CASE("devres_release_all releases improperly nested closed groups fully") {
    Device d;
    d.open("A", named_id(0));
    d.add("r1", 1);
    d.open("B", named_id(1));
    d.add("r2", 2);
    d.close(named_id(0));
    d.add("r3", 3);
    d.close(named_id(1));
    d.take_events();
    REQUIRE(d.list_string() == "A< r1 B< r2 A> r3 B>");

    // Completion: A (at A>), B (at B>).
    CHECK(d.release_all() == 3);
    CHECK(d.list_string() == "");
    CHECK(d.take_events() == "REL B<, REL A<, REL r3 +free, REL r2 +free, REL r1 +free");
}

TEST_CASE("devres_release_all with nested closed groups logs the outer group first") {
    Device d;
    d.add("r0", 0);
    d.open("A", named_id(0));
    d.open("B", named_id(1));
    d.add("r1", 1);
    d.close(named_id(1));
    d.close(named_id(0));
    d.take_events();
    REQUIRE(d.list_string() == "r0 A< B< r1 B> A>");
    CHECK(d.release_all() == 2);
    CHECK(d.take_events() == "REL A<, REL B<, REL r1 +free, REL r0 +free");
}

TEST_CASE("devres_release_all on an empty list logs nothing and returns 0") {
    Device d;
    CHECK(d.release_all() == 0);
    CHECK(d.take_events() == "");
    d.release_group_on_empty_list_is_silent = true;
    CHECK(d.release_all() == 0);
    CHECK(d.take_events() == "");
}

TEST_CASE("devres_release_all of resources only releases them newest first") {
    Device d;
    d.add("r1", 1);
    d.add("r2", 2);
    d.add("r3", 3);
    d.take_events();
    CHECK(d.release_all() == 3);
    CHECK(d.take_events() == "REL r3 +free, REL r2 +free, REL r1 +free");
}

// ------------------------------------------------------------- devres_release (1.2)

TEST_CASE("devres_release removes the latest node of the resource with REM and runs its release") {
    Device d;
    d.open("A", named_id(0));
    d.add("r1a", 1);
    d.open("B", null_id());
    d.add("r1b", 1);
    d.add("r2", 2);
    d.close(null_id());
    d.take_events();
    REQUIRE(d.list_string() == "A< r1a B< r1b r2 B>");

    CHECK(d.release_resource(1));
    CHECK(d.list_string() == "A< r1a B< r2 B>");
    REQUIRE(d.out.size() == 1);
    CHECK(d.out.front().kind == EventKind::DevresRemove);
    CHECK(d.out.front().node == d.node("r1b"));
    CHECK(d.out.front().frees_resource);
    CHECK(d.take_events() == "REM r1b +free");

    CHECK(d.release_resource(1));
    CHECK(d.list_string() == "A< B< r2 B>");
    CHECK(d.take_events() == "REM r1a +free");

    // Groups are not affected: B is still closed, A still open.
    CHECK(group_is_closed(d.list, d.node("B<").tag));
    CHECK(find_group(d.list, null_id()) == std::optional<std::size_t>{0});
}

TEST_CASE("devres_release of a resource with no node warns DevmFreeNotFound and changes nothing") {
    Device d;
    CHECK_FALSE(d.release_resource(1));
    CHECK(d.take_events() == "WARN DevmFreeNotFound");

    d.add("r2", 2);
    d.open("A", named_id(1)); // markers are not resources, whatever their tag or id value
    d.close(named_id(1));
    d.take_events();
    CHECK_FALSE(d.release_resource(1));
    CHECK(d.list_string() == "r2 A< A>");
    REQUIRE(d.out.size() == 1);
    CHECK(d.out.front().kind == EventKind::Warn);
    CHECK(d.out.front().warn == WarnKind::DevmFreeNotFound);
    CHECK(d.take_events() == "WARN DevmFreeNotFound");
}

// ------------------------------------------------------------------ events

TEST_CASE("every event carries the caller's context") {
    Device d;
    d.context.touch = TouchPoint::DT9;
    d.context.thread = 5;
    d.context.code_owner = 0;
    d.context.device = 1;
    d.context.master = 2;
    d.context.component = 3;
    d.add("r1", 1);
    d.open("A", component_id(0));
    d.add("r2", 2);
    d.close(component_id(0));
    d.close(component_id(0));
    d.close(null_id());
    d.release_resource(2);
    d.release_resource(2);
    d.open("B", null_id());
    d.remove(null_id());
    d.release(component_id(0));
    d.release(null_id());
    d.release_all();
    CHECK(d.take_events() ==
          "ADD r1, ADD A<, ADD r2, ADD A>, ADD A>, BUG CloseClosedGroup, WARN GroupNotFound, "
          "REM r2 +free, WARN DevmFreeNotFound, ADD B<, REM B<, REL A<, WARN GroupNotFound, REL r1 +free");
}

// ------------------------------------------------------------ random sequences

// Kinds of step in a random sequence.
enum class Step { Add, Open, Close, Remove, ReleaseGroup, ReleaseAll, Release };

struct RandomRun {
    std::mt19937 random;
    DevresList list;
    Events out;
    Event context;
    std::uint8_t serial = 0;

    explicit RandomRun(unsigned seed) : random(seed) {}

    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); }

    GroupId any_id() {
        const int k = pick(7);
        if (k < 3) return null_id();
        const auto value = static_cast<std::uint8_t>(pick(2));
        if (k < 4) return master_id(value);
        if (k < 6) return named_id(value);
        return component_id(value);
    }
};

// find_group as spec 1.3 states it, independent of the model's own.
std::optional<std::size_t> spec_find_group(const DevresList& list, GroupId id) {
    for (std::size_t i = list.size(); i-- > 0;) {
        if (list[i].kind != NodeKind::GroupOpen) continue;
        if (!id.is_null()) {
            if (list[i].id == id) return i;
            continue;
        }
        const bool closed = std::any_of(list.begin(), list.end(), [&](const Node& n) {
            return n.kind == NodeKind::GroupClose && n.tag == list[i].tag;
        });
        if (!closed) return i;
    }
    return std::nullopt;
}

std::size_t position(const DevresList& list, const Node& n) {
    return static_cast<std::size_t>(std::find(list.begin(), list.end(), n) - list.begin());
}

bool is_subsequence(const DevresList& small, const DevresList& big) {
    std::size_t j = 0;
    for (const Node& n : big)
        if (j < small.size() && small[j] == n) ++j;
    return j == small.size();
}

// Checks one group release or release_all: the result and the events agree
// with spec 1.4/1.5 for the range [first, end) of `before`.
void check_range_release(const DevresList& before, std::size_t first, std::size_t end, const DevresList& after,
                         const Events& events, int returned) {
    CHECK(is_subsequence(after, before));
    // Every node outside the range stays; inside it, only markers of groups
    // with exactly one marker in the range stay (partly covered).
    std::vector<Node> resources_in_range;
    for (std::size_t i = 0; i < before.size(); ++i) {
        const Node& n = before[i];
        const bool stays = position(after, n) < after.size();
        if (i < first || i >= end) {
            CHECK(stays);
            continue;
        }
        if (!n.is_marker()) {
            CHECK_FALSE(stays);
            resources_in_range.push_back(n);
            continue;
        }
        std::size_t markers_in_range = 0;
        bool closed = false;
        for (std::size_t j = 0; j < before.size(); ++j) {
            if (!before[j].is_marker() || before[j].tag != n.tag) continue;
            if (before[j].kind == NodeKind::GroupClose) closed = true;
            if (j >= first && j < end) ++markers_in_range;
        }
        const bool fully_covered = !closed || markers_in_range == 2;
        CHECK(stays == !fully_covered);
    }
    // Events: REL of opening markers first, then every resource of the range newest first.
    CHECK(returned == static_cast<int>(resources_in_range.size()));
    std::size_t k = 0;
    while (k < events.size() && events[k].node.kind == NodeKind::GroupOpen) {
        CHECK(events[k].kind == EventKind::DevresRelease);
        CHECK_FALSE(events[k].frees_resource);
        CHECK(position(after, events[k].node) == after.size());
        ++k;
    }
    REQUIRE(events.size() - k == resources_in_range.size());
    for (std::size_t r = 0; r < resources_in_range.size(); ++r, ++k) {
        CHECK(events[k].kind == EventKind::DevresRelease);
        CHECK(events[k].frees_resource);
        CHECK(events[k].node == resources_in_range[resources_in_range.size() - 1 - r]);
    }
}

TEST_CASE("random sequences of operations keep every closing marker after its opening marker and match the range rules") {
    for (unsigned seed = 1; seed <= 300; ++seed) {
        CAPTURE(seed);
        RandomRun run(seed);
        DevresCall call{run.context, run.out, seed % 2 == 0};
        for (int step = 0; step < 60; ++step) {
            CAPTURE(step);
            const DevresList before = run.list;
            run.out.clear();
            const int roll = run.pick(100);
            const Step kind = roll < 30   ? Step::Add
                              : roll < 50 ? Step::Open
                              : roll < 68 ? Step::Close
                              : roll < 76 ? Step::Remove
                              : roll < 88 ? Step::ReleaseGroup
                              : roll < 91 ? Step::ReleaseAll
                                          : Step::Release;
            const GroupId id = run.any_id();
            const auto found = spec_find_group(before, id);
            CHECK(find_group(before, id) == found);
            switch (kind) {
            case Step::Add: {
                Node n;
                n.resource = static_cast<std::uint8_t>(run.pick(4));
                n.context.object = run.serial++;
                devres_add(run.list, n, call);
                DevresList expected = before;
                expected.push_back(n);
                CHECK(run.list == expected);
                break;
            }
            case Step::Open: {
                devres_open_group(run.list, id, GroupCreator::Driver, 0, call);
                REQUIRE(run.list.size() == before.size() + 1);
                CHECK(std::equal(before.begin(), before.end(), run.list.begin()));
                const Node& m = run.list.back();
                CHECK(m.kind == NodeKind::GroupOpen);
                CHECK(m.id == id);
                for (const Node& n : before) CHECK_FALSE((n.is_marker() && n.tag == m.tag));
                break;
            }
            case Step::Close: {
                devres_close_group(run.list, id, call);
                if (!found) {
                    CHECK(run.list == before);
                    REQUIRE(run.out.size() == 1);
                    CHECK(run.out[0].kind == EventKind::Warn);
                    CHECK(run.out[0].warn == WarnKind::GroupNotFound);
                } else if (group_is_closed(before, before[*found].tag)) {
                    CHECK_FALSE(id.is_null());
                    CHECK(run.list == before);
                    REQUIRE(run.out.size() == 2);
                    CHECK(run.out[0].kind == EventKind::DevresAdd);
                    CHECK(run.out[1].kind == EventKind::Bug);
                } else {
                    REQUIRE(run.list.size() == before.size() + 1);
                    CHECK(std::equal(before.begin(), before.end(), run.list.begin()));
                    CHECK(run.list.back().kind == NodeKind::GroupClose);
                    CHECK(run.list.back().tag == before[*found].tag);
                }
                break;
            }
            case Step::Remove: {
                devres_remove_group(run.list, id, call);
                DevresList expected = before;
                if (found) {
                    const std::uint8_t tag = before[*found].tag;
                    std::erase_if(expected, [tag](const Node& n) { return n.is_marker() && n.tag == tag; });
                    REQUIRE(run.out.size() == 1);
                    CHECK(run.out[0].kind == EventKind::DevresRemove);
                    CHECK(run.out[0].node == before[*found]);
                } else {
                    REQUIRE(run.out.size() == 1);
                    CHECK(run.out[0].kind == EventKind::Warn);
                }
                CHECK(run.list == expected);
                break;
            }
            case Step::ReleaseGroup: {
                const int n = devres_release_group(run.list, id, call);
                if (!found) {
                    CHECK(n == 0);
                    CHECK(run.list == before);
                    CHECK(run.out.size() == ((before.empty() && call.release_group_on_empty_list_is_silent) ? 0U : 1U));
                } else {
                    const std::size_t first = *found;
                    std::size_t end = before.size();
                    for (std::size_t i = first; i < before.size(); ++i)
                        if (before[i].kind == NodeKind::GroupClose && before[i].tag == before[first].tag) end = i + 1;
                    check_range_release(before, first, end, run.list, run.out, n);
                }
                break;
            }
            case Step::ReleaseAll: {
                const int n = devres_release_all(run.list, call);
                CHECK(run.list.empty());
                check_range_release(before, 0, before.size(), run.list, run.out, n);
                break;
            }
            case Step::Release: {
                const auto resource = static_cast<std::uint8_t>(run.pick(4));
                const bool ok = devres_release(run.list, resource, call);
                auto latest = std::find_if(before.rbegin(), before.rend(), [resource](const Node& n) {
                    return n.kind == NodeKind::Resource && n.resource == resource;
                });
                CHECK(ok == (latest != before.rend()));
                DevresList expected = before;
                if (latest != before.rend())
                    expected.erase(expected.begin() + (before.rend() - latest - 1));
                CHECK(run.list == expected);
                break;
            }
            }
            const std::string defect = marker_defect(run.list);
            CHECK_MESSAGE(defect.empty(), defect);
        }
    }
}

} // namespace
} // namespace bindcheck::model::devres_test
