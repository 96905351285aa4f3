// --format dmesg against the devres log quoted in the seed's patch mail
// (spec 4.2, INV-14): the lines it shows, in its order, with the pointer
// equalities it shows; plus a golden file of the whole log, the kernel
// messages of a failing bind, and WARN reports. Golden files are rewritten
// only when BINDCHECK_UPDATE_GOLDEN is set.

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "tests/support/run_cli.hpp"
#include "counterexamples/devres_pointers.hpp"
#include "counterexamples/render_dmesg.hpp"
#include "tests/support/run_check.hpp"

namespace {

using Run = bindcheck::testing::CliRun;
using bindcheck::testing::run_bindcheck;

std::string source(const std::string& relative) { return std::string(BINDCHECK_SOURCE_DIR) + "/" + relative; }

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The seed's log (drm/intel 4136, the RFC's commit message), as quoted there.
const std::vector<std::string> kSeedLog = {
    "[  126.886032] snd_hda_intel 0000:00:1f.3: DEVRES ADD 00000000323ccdc5 devm_component_match_release (24 bytes)",
    "[  126.886045] snd_hda_intel 0000:00:1f.3: DEVRES ADD 00000000865cdb29 grp< (0 bytes)",
    "[  126.886049] snd_hda_intel 0000:00:1f.3: DEVRES ADD 000000001b480725 grp< (0 bytes)",
    "[  126.892238] snd_hda_intel 0000:00:1f.3: DEVRES ADD 000000001b480725 pcim_iomap_release (48 bytes)",
    "[  137.579422] i915 0000:00:02.0: DEVRES REL 00000000ef44c293 grp< (0 bytes)",
    "[  137.579445] snd_hda_intel 0000:00:1f.3: DEVRES REL 00000000865cdb29 grp< (0 bytes)",
    "[  137.579458] snd_hda_intel 0000:00:1f.3: DEVRES REL 000000001b480725 pcim_iomap_release (48 bytes)",
};

struct DevresLine {
    std::string text; // after the timestamp, the pointer replaced by "PTR"
    std::string pointer;
};

std::optional<DevresLine> devres_line(const std::string& line) {
    const auto stamp_end = line.find("] ");
    if (line.empty() || line[0] != '[' || stamp_end == std::string::npos) return std::nullopt;
    const std::string rest = line.substr(stamp_end + 2);
    const auto devres = rest.find(": DEVRES ");
    if (devres == std::string::npos) return std::nullopt;
    const std::size_t at = devres + std::string(": DEVRES ADD ").size();
    if (rest.size() < at + 16) return std::nullopt;
    return DevresLine{rest.substr(0, at) + "PTR" + rest.substr(at + 16), rest.substr(at, 16)};
}

// Finds the seed's lines in order; the pointers must correspond one to one.
void check_seed_lines(const std::string& dmesg) {
    std::vector<DevresLine> ours;
    for (const std::string& line : lines_of(dmesg))
        if (auto d = devres_line(line)) ours.push_back(*d);
    std::map<std::string, std::string> seed_to_ours, ours_to_seed;
    std::size_t from = 0;
    for (const std::string& seed_line : kSeedLog) {
        const DevresLine seed = *devres_line(seed_line);
        std::size_t k = from;
        while (k < ours.size() && ours[k].text != seed.text) ++k;
        REQUIRE_MESSAGE(k < ours.size(), "not found after the previous seed line: " << seed_line << "\n" << dmesg);
        const auto [s, new_seed] = seed_to_ours.emplace(seed.pointer, ours[k].pointer);
        const auto [o, new_ours] = ours_to_seed.emplace(ours[k].pointer, seed.pointer);
        CHECK_MESSAGE(s->second == ours[k].pointer, "seed pointer " << seed.pointer << " maps to two of ours");
        CHECK_MESSAGE(o->second == seed.pointer, "our pointer " << ours[k].pointer << " maps to two of the seed's");
        (void)new_seed;
        (void)new_ours;
        from = k + 1;
    }
    // The seed shows four distinct pointers: match, G1, G2 = the iomap, and i915's group.
    CHECK(seed_to_ours.size() == 4);
}

std::string without_statistics(const std::string& report) {
    std::string kept;
    for (const std::string& line : lines_of(report))
        if (line.rfind("statistics: ", 0) != 0) kept += line + "\n";
    return kept;
}

std::string relative_paths(std::string text) {
    const std::string prefix = std::string(BINDCHECK_SOURCE_DIR) + "/";
    for (std::size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
    return text;
}

} // namespace

TEST_CASE("the V1 dmesg log holds the seed's seven devres lines with the seed's pointer equalities") {
    // The shortest trace may be run A (devres granularity) or run B (call
    // granularity: i915's component_add binds the master); both must show them.
    for (const char* granularity : {"devres", "call"}) {
        for (const char* property : {"foreign-free", "use-after-free"}) {
            CAPTURE(granularity);
            CAPTURE(property);
            const Run r =
                run_bindcheck({"check", source("tests/golden/hda-i915-devres.bind"), "--variant", "V1", "--property",
                               property, "--granularity", granularity, "--format", "dmesg", "--no-progress"});
            REQUIRE(r.code == 1);
            CHECK(r.err.empty());
            check_seed_lines(r.out);
        }
    }
}

TEST_CASE("the V1 foreign-free dmesg log matches its golden file") {
    const Run r = run_bindcheck({"check", source("tests/golden/hda-i915-devres.bind"), "--variant", "V1", "--property",
                                 "foreign-free", "--format", "dmesg", "--no-progress"});
    REQUIRE(r.code == 1);
    const std::string actual = relative_paths(without_statistics(r.out));
    const std::string golden = "tests/golden/hda-i915-devres.V1.foreign-free.dmesg.txt";
    if (std::getenv("BINDCHECK_UPDATE_GOLDEN")) {
        std::ofstream(source(golden)) << actual;
        return;
    }
    CHECK(actual == bindcheck::testing::read_source_file(golden));
}

TEST_CASE("every dmesg line is a kernel line or a bindcheck comment, and the violation comes right after its line") {
    const Run r = run_bindcheck({"check", source("tests/golden/hda-i915-devres.bind"), "--variant", "V1", "--property",
                                 "foreign-free", "--format", "dmesg", "--no-progress"});
    REQUIRE(r.code == 1);
    const auto lines = lines_of(r.out);
    const auto header =
        std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.rfind("# bindcheck: ", 0) == 0; });
    REQUIRE(header != lines.end());
    CHECK(header->find("foreign-free (INV-1)") != std::string::npos);
    CHECK(header->find("hda-i915-devres.bind") != std::string::npos);
    CHECK(header->find("variant V1") != std::string::npos);
    std::string previous;
    bool marker_seen = false;
    for (auto line = header + 1; line != lines.end() && !line->empty(); ++line) {
        const bool kernel = line->size() > 15 && (*line)[0] == '[' && (*line)[13] == ']';
        const bool comment = line->rfind("# bindcheck: ", 0) == 0;
        CHECK_MESSAGE((kernel || comment), *line);
        if (line->rfind("# bindcheck: ^ foreign-free: ", 0) == 0) {
            marker_seen = true;
            CHECK(previous.find("DEVRES REL") != std::string::npos);
            CHECK(previous.find("pcim_iomap_release (48 bytes)") != std::string::npos);
        }
        previous = *line;
    }
    CHECK(marker_seen);
}

namespace {

using namespace bindcheck;

// The shortest schedule (as step codes) to a step whose events satisfy `wanted`.
template <class Wanted> std::vector<std::uint32_t> path_to(const model::BindModel& m, Wanted wanted) {
    struct Node {
        model::World world;
        std::vector<std::uint32_t> codes;
    };
    std::vector<Node> frontier{{m.initial(), {}}};
    std::set<std::vector<std::byte>> seen;
    for (int depth = 0; depth < 80 && !frontier.empty(); ++depth) {
        std::vector<Node> next;
        for (const Node& n : frontier) {
            std::optional<std::vector<std::uint32_t>> found;
            m.for_each_successor(n.world,
                                 [&](const model::Step& step, const model::World& after, const model::Events& events) {
                                     if (found) return;
                                     std::vector<std::uint32_t> codes = n.codes;
                                     codes.push_back(m.step_code(step));
                                     if (wanted(events)) {
                                         found = codes;
                                         return;
                                     }
                                     std::vector<std::byte> bytes;
                                     m.encode(after, bytes);
                                     if (seen.insert(bytes).second) next.push_back({after, std::move(codes)});
                                 });
            if (found) return *found;
        }
        frontier = std::move(next);
    }
    FAIL("no such step reachable");
    return {};
}

std::string dmesg_of(const model::BindModel& m, const std::vector<std::uint32_t>& codes) {
    auto replayed = counterexamples::replay(m, codes);
    REQUIRE(std::holds_alternative<counterexamples::Trace>(replayed));
    counterexamples::Counterexample cx{&properties::property(properties::PropertyId::DevresWarn),
                                       std::get<counterexamples::Trace>(std::move(replayed)),
                                       properties::Violation{-1, "the test's end"}};
    return counterexamples::render_dmesg(m, cx, "test.bind");
}

model::BindModel model_of(const std::string& text, const char* variant) {
    auto parsed = model::parse_scenario(text, "test.bind");
    REQUIRE(std::holds_alternative<model::Scenario>(parsed));
    return model::BindModel(std::get<model::Scenario>(std::move(parsed)), *model::find_variant(variant),
                            model::Granularity::Devres);
}

std::size_t index_of(const std::vector<std::string>& lines, const std::string& part, std::size_t from = 0) {
    for (std::size_t k = from; k < lines.size(); ++k)
        if (lines[k].find(part) != std::string::npos) return k;
    return lines.size();
}

const std::string kFailingBind = R"(
device drm     "display-subsystem"
device encoder "encoder@1000"
driver display on drm {
  probe { component_master_add_with_match aggregate match(encoder_comp) }
  master aggregate {
    bind   { devm aggregate_priv size 32 ; component_bind_all }
    unbind { component_unbind_all }
  }
}
driver encoder_drv on encoder {
  probe { component_add encoder_comp }
  component encoder_comp {
    bind may_fail -EINVAL { devm encoder_priv size 128 }
    unbind { }
  }
}
)";

} // namespace

TEST_CASE("a failing bind prints the framework's messages after the REL lines of its releases") {
    const auto m = model_of(kFailingBind, "V1");
    const auto codes = path_to(m, [](const model::Events& events) {
        return std::any_of(events.begin(), events.end(), [](const model::Event& e) {
            return e.kind == model::EventKind::KernelMessage && e.touch == model::TouchPoint::DT2;
        });
    });
    const auto lines = lines_of(dmesg_of(m, codes));
    // DT8 (encoder's group), DT9 (the parent-side group), then the component's message;
    // DT2 (the master group) and the master's message.
    const auto rel_encoder = index_of(lines, "encoder_drv encoder@1000: DEVRES REL ");
    const auto rel_encoder_priv = index_of(lines, "encoder_drv encoder@1000: DEVRES REL ", rel_encoder + 1);
    const auto component_message =
        index_of(lines, "display display-subsystem: failed to bind encoder@1000 (ops encoder_comp): -22");
    const auto rel_master_group = index_of(lines, "display display-subsystem: DEVRES REL ", component_message);
    const auto master_message = index_of(lines, "display display-subsystem: master bind failed: -22");
    REQUIRE(rel_encoder < lines.size());
    REQUIRE(component_message < lines.size());
    REQUIRE(master_message < lines.size());
    CHECK(rel_encoder < component_message);
    CHECK(component_message < rel_master_group);
    CHECK(rel_master_group < master_message);
    // DT8 releases the component's group: its opening marker first, then what the bind allocated.
    CHECK(lines[rel_encoder].find(" grp< (0 bytes)") != std::string::npos);
    REQUIRE(rel_encoder_priv < component_message);
    CHECK(lines[rel_encoder_priv].find(" encoder_priv (128 bytes)") != std::string::npos);
    CHECK(index_of(lines, "aggregate_priv (32 bytes)", rel_master_group) < master_message);
}

TEST_CASE("a WARN prints the kernel's cut-here report naming the function, and the marker follows it") {
    const std::string text = R"(
device hda "0000:00:1f.3"
driver snd_hda_intel on hda {
  probe { devm buf size 8 ; devres_release_group NULL }
}
)";
    const Run r = [&] {
        const std::string path = "/tmp/bindcheck-dmesg-test-warn.bind";
        std::ofstream(path) << text;
        return run_bindcheck(
            {"check", path, "--variant", "V1", "--property", "devres-warn", "--format", "dmesg", "--no-progress"});
    }();
    REQUIRE(r.code == 1);
    const auto lines = lines_of(r.out);
    const auto cut = index_of(lines, "------------[ cut here ]------------");
    REQUIRE(cut + 3 < lines.size());
    CHECK(lines[cut + 1].find("] WARNING: at drivers/base/devres.c devres_release_group()") != std::string::npos);
    CHECK(lines[cut + 2].find("] ---[ end trace 0000000000000000 ]---") != std::string::npos);
    CHECK(lines[cut + 3].rfind("# bindcheck: ^ devres-warn: ", 0) == 0);
    // The device is bound while its probe runs: the driver's name prefixes the line.
    CHECK(index_of(lines, "snd_hda_intel 0000:00:1f.3: DEVRES ADD ") < cut);
}

TEST_CASE("symbolic pointers follow the model's device lists on random runs of every shipped scenario") {
    // A mismatch would make DevresPointers rebuild its lists (resyncs() > 0).
    for (const char* scenario : {"scenarios/drm-intel-4136.bind", "scenarios/display-aggregate.bind",
                                 "scenarios/bind-failure-rollback.bind", "tests/golden/hda-i915-devres.bind"}) {
        for (const char* variant : {"V0", "V1", "V2", "V4"}) {
            for (auto granularity : {model::Granularity::Devres, model::Granularity::Call}) {
                auto parsed = model::parse_scenario(testing::read_source_file(scenario), scenario);
                REQUIRE(std::holds_alternative<model::Scenario>(parsed));
                model::BindModel m(std::get<model::Scenario>(std::move(parsed)), *model::find_variant(variant),
                                   granularity);
                for (unsigned seed = 1; seed <= 20; ++seed) {
                    CAPTURE(scenario);
                    CAPTURE(variant);
                    CAPTURE(seed);
                    model::World world = m.initial();
                    counterexamples::DevresPointers pointers(world);
                    std::uint64_t random = seed;
                    for (int step = 0; step < 200; ++step) {
                        std::vector<std::pair<model::World, model::Events>> options;
                        m.for_each_successor(world,
                                             [&](const model::Step&, const model::World& after,
                                                 const model::Events& events) { options.emplace_back(after, events); });
                        if (options.empty()) break;
                        random = random * 6364136223846793005ULL + 1442695040888963407ULL;
                        auto& [after, events] = options[(random >> 33) % options.size()];
                        const auto printed = pointers.step(events, after);
                        REQUIRE(printed.size() == events.size());
                        world = std::move(after);
                    }
                    CHECK(pointers.resyncs() == 0);
                }
            }
        }
    }
}
