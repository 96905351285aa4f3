// Where the reduction must bite on the benchmark family: a state whose
// contested steps are in fact independent, because a path the static
// summaries used to count is ruled out by a known return value. The
// master driver's probe has passed its last failing call, so its failure
// cleanup (devres_release_all on its device, which may hold the master's
// open group) is no longer in its future; the mutex owner's unlock, which
// reads every device's open framework groups, can then be taken alone.

#include <doctest/doctest.h>

#include <bit>
#include <deque>
#include <optional>
#include <string>
#include <unordered_set>

#include "checker/partial_order.hpp"
#include "model/reducible_model.hpp"
#include "model/scenario_parser.hpp"

namespace {

using bindcheck::model::BindModel;
using bindcheck::model::Op;
using bindcheck::model::World;

const char* const kPair = R"(
device hda "0000:00:1f.3"
device igpu "0000:00:02.0"
driver snd_hda_intel on hda {
  probe {
    component_master_add_with_match audio match(i915_audio)
    devm pcim_iomap size 48
  }
  remove { component_master_del audio }
  master audio {
    bind { component_bind_all }
    unbind { component_unbind_all }
  }
}
driver i915 on igpu {
  probe { component_add i915_audio }
  remove { component_del i915_audio }
  component i915_audio {
    bind { }
    unbind { }
  }
}
bound rebinds = 0
)";

Op next_op(const BindModel& model, const World& w, std::size_t t) {
    const auto& frame = w.threads[t].stack.back();
    return model.programs().programs[frame.program].code[frame.pc].op;
}

// The master driver (thread 0) about to add pcim_iomap, after its master
// was added; i915 (thread 1) holding component_mutex, about to unlock it.
bool wanted(const BindModel& model, const World& w) {
    if (w.mutex_owner != 1 || w.threads[0].stack.empty() || w.threads[1].stack.empty()) return false;
    const auto& probe = w.threads[0].stack.back();
    return model.programs().programs[probe.program].name == "snd_hda_intel probe" &&
           next_op(model, w, 0) == Op::DevresAdd && next_op(model, w, 1) == Op::Unlock;
}

std::optional<World> find_state(const BindModel& model) {
    std::unordered_set<std::string> seen;
    std::deque<World> todo{model.initial()};
    while (!todo.empty()) {
        World w = std::move(todo.front());
        todo.pop_front();
        if (wanted(model, w)) return w;
        model.for_each_successor(w, [&](const auto&, const World& next, const auto&) {
            std::vector<std::byte> bytes;
            model.encode(next, bytes);
            if (seen.emplace(reinterpret_cast<const char*>(bytes.data()), bytes.size()).second) todo.push_back(next);
        });
    }
    return std::nullopt;
}

} // namespace

TEST_CASE("a probe past its last failing call does not block reducing the mutex owner's unlock") {
    auto parsed = bindcheck::model::parse_scenario(kPair, "pair.bind");
    REQUIRE(std::holds_alternative<bindcheck::model::Scenario>(parsed));
    auto variant = bindcheck::model::find_variant("V2");
    REQUIRE(variant.has_value());
    const BindModel model(std::get<bindcheck::model::Scenario>(std::move(parsed)), *variant,
                          bindcheck::model::Granularity::Devres);
    const auto state = find_state(model);
    REQUIRE(state.has_value());

    const bindcheck::model::ReducibleBindModel reducible(model);
    const bindcheck::checker::PartialOrderReduction<bindcheck::model::ReducibleBindModel> reduction(reducible);
    std::size_t enabled = 0;
    const auto chosen = reduction.choose(*state, enabled);
    CHECK(enabled == 2);
    CHECK(chosen == 0b10); // i915's unlock alone
}
