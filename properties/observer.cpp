#include "properties/observer.hpp"

#include <algorithm>

namespace bindcheck::properties {

namespace {
std::uint64_t bit(PropertyId id) { return std::uint64_t{1} << static_cast<unsigned>(id); }
} // namespace

bool waits_forever(const model::World& terminal) {
    return std::any_of(terminal.threads.begin(), terminal.threads.end(),
                       [](const model::Thread& t) { return t.phase == model::Phase::Running; });
}

PropertyObserver::PropertyObserver(const model::BindModel& model, const std::vector<PropertyId>& selected)
    : model_(model) {
    for (PropertyId id : selected) {
        const Property& p = property(id);
        if (selected_mask_ & bit(id)) continue;
        selected_mask_ |= bit(id);
        judges_.push_back(&p);
    }
}

std::uint64_t PropertyObserver::on_transition(const model::World&, const model::Step&, const model::World& to,
                                              const model::Events& events) {
    std::uint64_t found = 0;
    for (const Property* p : judges_) {
        if (reported_ & bit(p->id())) continue;
        if (p->judge_step(model_, events, to)) found |= bit(p->id());
    }
    reported_ |= found;
    return found;
}

std::uint64_t PropertyObserver::on_state(const model::World& state) {
    std::uint64_t found = 0;
    for (const Property* p : judges_) {
        if (reported_ & bit(p->id())) continue;
        if (p->judge_state(model_, state)) found |= bit(p->id());
    }
    reported_ |= found;
    return found;
}

std::uint64_t PropertyObserver::on_terminal(const model::World& state) {
    const std::uint64_t info = std::uint64_t{1} << kWaitsForeverBit;
    if ((reported_ & info) || !waits_forever(state)) return 0;
    reported_ |= info;
    return info;
}

} // namespace bindcheck::properties
