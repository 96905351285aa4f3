#include "model/symmetry.hpp"

#include <algorithm>
#include <deque>
#include <numeric>
#include <optional>
#include <stdexcept>

namespace bindcheck::model {
namespace {

// Beyond this many renamings per world, groups are cut down: a subgroup of
// the automorphisms still gives an exact (if smaller) reduction.
constexpr std::size_t kMaxRenamings = 720;

std::size_t kind_index(IndexKind kind) { return static_cast<std::size_t>(kind); }

std::array<std::size_t, kIndexKinds> index_counts(const Scenario& s) {
    return {s.devices.size(), s.drivers.size(), s.components.size(), s.masters.size(),
            s.resources.size(), s.completions.size(), s.group_ids.size()};
}

struct Pair {
    IndexKind kind;
    int first;  // on the first driver's side
    int second; // its counterpart
};

// Builds the involution that swaps two drivers and everything that must go
// with them, by walking both drivers' structure side by side: the first
// difference that a renaming cannot explain ends it.
class Unifier {
public:
    Unifier(const Scenario& s, const ProgramSet& programs) : s_(s), programs_(programs) {
        const auto counts = index_counts(s);
        for (std::size_t k = 0; k < kIndexKinds; ++k) map_[k].assign(counts[k], -1);
    }

    bool unify(int first, int second) {
        if (!assign(IndexKind::Driver, first, second)) return false;
        while (!work_.empty()) {
            const Pair p = work_.front();
            work_.pop_front();
            if (!walk(p)) return false;
        }
        return true;
    }

    /// The full renaming: what the walk did not reach stays where it is.
    [[nodiscard]] Renaming renaming() const {
        Renaming r;
        for (std::size_t k = 0; k < kIndexKinds; ++k) {
            r.map[k] = map_[k];
            for (std::size_t x = 0; x < r.map[k].size(); ++x)
                if (r.map[k][x] < 0) r.map[k][x] = static_cast<int>(x);
        }
        return r;
    }
    [[nodiscard]] const std::vector<Pair>& pairs() const { return pairs_; }

private:
    bool assign(IndexKind kind, int a, int b) {
        if (a < 0 || b < 0) return a == b;
        auto& m = map_[kind_index(kind)];
        const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
        if (m[ua] < 0 && m[ub] < 0) {
            m[ua] = b;
            m[ub] = a;
            if (a != b) {
                pairs_.push_back({kind, a, b});
                work_.push_back({kind, a, b});
            }
            return true;
        }
        return m[ua] == b;
    }

    bool lists(IndexKind kind, const std::vector<int>& a, const std::vector<int>& b) {
        if (a.size() != b.size()) return false;
        for (std::size_t k = 0; k < a.size(); ++k)
            if (!assign(kind, a[k], b[k])) return false;
        return true;
    }

    bool blocks(const Block& a, const Block& b) {
        if (a.present != b.present || a.may_fail != b.may_fail || a.fail_error != b.fail_error ||
            a.statements.size() != b.statements.size())
            return false;
        for (std::size_t k = 0; k < a.statements.size(); ++k) {
            const Statement& x = a.statements[k];
            const Statement& y = b.statements[k];
            if (x.kind != y.kind || x.subcomponent != y.subcomponent || x.size != y.size || x.error != y.error ||
                x.timeout != y.timeout)
                return false;
            if (!assign(IndexKind::Resource, x.resource, y.resource) || !assign(IndexKind::Device, x.device, y.device) ||
                !assign(IndexKind::Component, x.component, y.component) ||
                !assign(IndexKind::Master, x.master, y.master) ||
                !assign(IndexKind::GroupId, x.group_id, y.group_id) ||
                !assign(IndexKind::Completion, x.completion, y.completion))
                return false;
        }
        return true;
    }

    [[nodiscard]] std::vector<int> own_resources(int driver) const {
        std::vector<int> out;
        const auto& match = programs_.match_resource;
        for (std::size_t r = 0; r < s_.resources.size(); ++r)
            if (s_.resources[r].driver == driver && std::find(match.begin(), match.end(), static_cast<int>(r)) == match.end())
                out.push_back(static_cast<int>(r));
        return out;
    }

    bool walk(const Pair& p) {
        const auto a = static_cast<std::size_t>(p.first), b = static_cast<std::size_t>(p.second);
        switch (p.kind) {
        case IndexKind::Device: return assign(IndexKind::Driver, s_.devices[a].driver, s_.devices[b].driver);
        case IndexKind::Driver: {
            const Driver& x = s_.drivers[a];
            const Driver& y = s_.drivers[b];
            return assign(IndexKind::Device, x.device, y.device) &&
                   lists(IndexKind::Component, x.components, y.components) &&
                   lists(IndexKind::Master, x.masters, y.masters) &&
                   lists(IndexKind::Resource, own_resources(p.first), own_resources(p.second)) &&
                   blocks(x.probe, y.probe) && blocks(x.remove, y.remove) &&
                   blocks(x.runtime_resume, y.runtime_resume);
        }
        case IndexKind::Component: {
            const Component& x = s_.components[a];
            const Component& y = s_.components[b];
            return assign(IndexKind::Driver, x.driver, y.driver) && assign(IndexKind::Device, x.device, y.device) &&
                   blocks(x.bind, y.bind) && blocks(x.unbind, y.unbind);
        }
        case IndexKind::Master: {
            const Master& x = s_.masters[a];
            const Master& y = s_.masters[b];
            return assign(IndexKind::Driver, x.driver, y.driver) && assign(IndexKind::Device, x.parent, y.parent) &&
                   lists(IndexKind::Component, x.match, y.match) &&
                   assign(IndexKind::Resource, programs_.match_resource[a], programs_.match_resource[b]) &&
                   blocks(x.bind, y.bind) && blocks(x.unbind, y.unbind);
        }
        case IndexKind::Resource: {
            const Resource& x = s_.resources[a];
            const Resource& y = s_.resources[b];
            return x.size == y.size && assign(IndexKind::Driver, x.driver, y.driver);
        }
        case IndexKind::Completion:
        case IndexKind::GroupId: return true;
        }
        return false;
    }

    const Scenario& s_;
    const ProgramSet& programs_;
    std::array<std::vector<int>, kIndexKinds> map_;
    std::vector<Pair> pairs_;
    std::deque<Pair> work_;
};

// Whether `r` maps the scenario onto itself: every object equals the image
// of its preimage. Returns why not, or nothing when it does.
class AutomorphismCheck {
public:
    AutomorphismCheck(const Scenario& s, const ProgramSet& programs, const Renaming& r)
        : s_(s), programs_(programs), r_(r) {}

    std::optional<std::string> failure() const {
        for (std::size_t d = 0; d < s_.devices.size(); ++d)
            if (s_.devices[at(IndexKind::Device, d)].driver != r_(IndexKind::Driver, s_.devices[d].driver))
                return "device " + s_.devices[d].name + " is bound differently";
        for (std::size_t d = 0; d < s_.drivers.size(); ++d) {
            const Driver& x = s_.drivers[d];
            const Driver& y = s_.drivers[at(IndexKind::Driver, d)];
            if (y.device != r_(IndexKind::Device, x.device) || !same_list(IndexKind::Component, x.components, y.components) ||
                !same_list(IndexKind::Master, x.masters, y.masters) || !same_block(x.probe, y.probe) ||
                !same_block(x.remove, y.remove) || !same_block(x.runtime_resume, y.runtime_resume))
                return "driver " + x.name + " differs from " + y.name + " beyond the renaming";
        }
        for (std::size_t c = 0; c < s_.components.size(); ++c) {
            const Component& x = s_.components[c];
            const Component& y = s_.components[at(IndexKind::Component, c)];
            if (y.driver != r_(IndexKind::Driver, x.driver) || y.device != r_(IndexKind::Device, x.device) ||
                !same_block(x.bind, y.bind) || !same_block(x.unbind, y.unbind))
                return "component " + x.name + " differs from " + y.name + " beyond the renaming";
        }
        for (std::size_t m = 0; m < s_.masters.size(); ++m) {
            const Master& x = s_.masters[m];
            const std::size_t image = at(IndexKind::Master, m);
            const Master& y = s_.masters[image];
            if (!same_list(IndexKind::Component, x.match, y.match)) {
                std::vector<int> renamed;
                for (int c : x.match) renamed.push_back(r_(IndexKind::Component, c));
                std::vector<int> sorted_renamed = renamed, sorted_image = y.match;
                std::sort(sorted_renamed.begin(), sorted_renamed.end());
                std::sort(sorted_image.begin(), sorted_image.end());
                if (sorted_renamed == sorted_image) return "master " + x.name + " matches their components in order";
                return "master " + x.name + " matches only some of them";
            }
            if (y.driver != r_(IndexKind::Driver, x.driver) || y.parent != r_(IndexKind::Device, x.parent) ||
                programs_.match_resource[image] != r_(IndexKind::Resource, programs_.match_resource[m]) ||
                !same_block(x.bind, y.bind) || !same_block(x.unbind, y.unbind))
                return "master " + x.name + " differs from " + y.name + " beyond the renaming";
        }
        for (std::size_t res = 0; res < s_.resources.size(); ++res) {
            const Resource& x = s_.resources[res];
            const Resource& y = s_.resources[at(IndexKind::Resource, res)];
            if (y.driver != r_(IndexKind::Driver, x.driver) || y.size != x.size)
                return "allocation site " + x.name + " differs from " + y.name;
        }
        return std::nullopt;
    }

private:
    [[nodiscard]] std::size_t at(IndexKind kind, std::size_t x) const {
        return static_cast<std::size_t>(r_(kind, static_cast<int>(x)));
    }
    [[nodiscard]] bool same_list(IndexKind kind, const std::vector<int>& x, const std::vector<int>& y) const {
        if (x.size() != y.size()) return false;
        for (std::size_t k = 0; k < x.size(); ++k)
            if (y[k] != r_(kind, x[k])) return false;
        return true;
    }
    [[nodiscard]] bool same_block(const Block& a, const Block& b) const {
        if (a.present != b.present || a.may_fail != b.may_fail || a.fail_error != b.fail_error ||
            a.statements.size() != b.statements.size())
            return false;
        for (std::size_t k = 0; k < a.statements.size(); ++k) {
            const Statement& x = a.statements[k];
            const Statement& y = b.statements[k];
            if (x.kind != y.kind || x.subcomponent != y.subcomponent || x.size != y.size || x.error != y.error ||
                x.timeout != y.timeout || y.resource != r_(IndexKind::Resource, x.resource) ||
                y.device != r_(IndexKind::Device, x.device) || y.component != r_(IndexKind::Component, x.component) ||
                y.master != r_(IndexKind::Master, x.master) || y.group_id != r_(IndexKind::GroupId, x.group_id) ||
                y.completion != r_(IndexKind::Completion, x.completion))
                return false;
        }
        return true;
    }

    const Scenario& s_;
    const ProgramSet& programs_;
    const Renaming& r_;
};

Renaming identity_renaming(const Scenario& s, std::size_t program_count) {
    Renaming r;
    const auto counts = index_counts(s);
    for (std::size_t k = 0; k < kIndexKinds; ++k) {
        r.map[k].resize(counts[k]);
        std::iota(r.map[k].begin(), r.map[k].end(), 0);
    }
    r.programs.resize(program_count);
    std::iota(r.programs.begin(), r.programs.end(), std::uint16_t{0});
    return r;
}

// Driver blocks follow their driver, master or component; framework programs stay.
void map_programs(const ProgramSet& set, Renaming& r) {
    auto put = [&](int from, int to) {
        if (from >= 0 && to >= 0) r.programs[static_cast<std::size_t>(from)] = static_cast<std::uint16_t>(to);
    };
    for (std::size_t d = 0; d < set.drivers.size(); ++d) {
        const auto& x = set.drivers[d];
        const auto& y = set.drivers[static_cast<std::size_t>(r(IndexKind::Driver, static_cast<int>(d)))];
        put(x.probe, y.probe);
        put(x.remove, y.remove);
        put(x.runtime_resume, y.runtime_resume);
    }
    for (std::size_t m = 0; m < set.master_blocks.size(); ++m)
        for (std::size_t k = 0; k < 2; ++k)
            put(set.master_blocks[m][k],
                set.master_blocks[static_cast<std::size_t>(r(IndexKind::Master, static_cast<int>(m)))][k]);
    for (std::size_t c = 0; c < set.component_blocks.size(); ++c)
        for (std::size_t k = 0; k < 2; ++k)
            put(set.component_blocks[c][k],
                set.component_blocks[static_cast<std::size_t>(r(IndexKind::Component, static_cast<int>(c)))][k]);
}

std::size_t factorial(std::size_t n) { return n <= 1 ? 1 : n * factorial(n - 1); }

bool less_bytes(const std::vector<std::byte>& a, const std::vector<std::byte>& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

} // namespace

Symmetry::Symmetry(const BindModel& model, bool enabled) : model_(model) {
    if (enabled) find_groups();
    build_renamings();
}

void Symmetry::find_groups() {
    const Scenario& s = model_.scenario();
    const ProgramSet& programs = model_.programs();
    const auto counts = index_counts(s);
    std::array<std::vector<bool>, kIndexKinds> claimed;
    for (std::size_t k = 0; k < kIndexKinds; ++k) claimed[k].assign(counts[k], false);
    auto is_claimed = [&](IndexKind kind, int x) { return claimed[kind_index(kind)][static_cast<std::size_t>(x)]; };

    std::size_t renamings = 1;
    std::vector<bool> explained(s.drivers.size(), false); // named in a note already
    for (std::size_t first = 0; first < s.drivers.size(); ++first) {
        if (is_claimed(IndexKind::Driver, static_cast<int>(first))) continue;
        CloneGroup group;
        std::vector<Pair> first_side; // slots of the first member, from the first accepted pair
        std::vector<std::string> alike; // look-alike drivers that are not interchangeable with `first`
        std::string reason;
        for (std::size_t other = first + 1; other < s.drivers.size(); ++other) {
            if (is_claimed(IndexKind::Driver, static_cast<int>(other))) continue;
            Unifier unifier(s, programs);
            if (!unifier.unify(static_cast<int>(first), static_cast<int>(other))) continue;
            Renaming swap = unifier.renaming();
            if (auto why = AutomorphismCheck(s, programs, swap).failure()) {
                if (!explained[first] && !explained[other]) {
                    if (alike.empty()) reason = *why;
                    alike.push_back(s.drivers[other].name);
                    explained[other] = true;
                }
                continue;
            }
            const auto& pairs = unifier.pairs();
            bool fits = true;
            for (const Pair& p : pairs)
                if (is_claimed(p.kind, p.first) || is_claimed(p.kind, p.second)) fits = false;
            if (fits && !group.member_indices.empty()) {
                // Every member must pair with the first one slot by slot.
                if (pairs.size() != first_side.size()) fits = false;
                for (std::size_t k = 0; fits && k < pairs.size(); ++k)
                    if (pairs[k].kind != first_side[k].kind || pairs[k].first != first_side[k].first) fits = false;
            }
            if (!fits) continue;
            const std::size_t members_after = group.member_indices.empty() ? 2 : group.member_indices.size() + 1;
            if (renamings / factorial(members_after - 1) * factorial(members_after) > kMaxRenamings) break;
            renamings = renamings / factorial(members_after - 1) * factorial(members_after);
            if (group.member_indices.empty()) {
                first_side = pairs;
                group.drivers.push_back(static_cast<int>(first));
                group.member_indices.emplace_back();
                for (const Pair& p : pairs) group.member_indices[0][kind_index(p.kind)].push_back(p.first);
            }
            group.drivers.push_back(static_cast<int>(other));
            auto& member = group.member_indices.emplace_back();
            for (const Pair& p : pairs) {
                member[kind_index(p.kind)].push_back(p.second);
                claimed[kind_index(p.kind)][static_cast<std::size_t>(p.second)] = true;
            }
        }
        if (!alike.empty()) {
            std::string names = s.drivers[first].name;
            for (std::size_t k = 0; k < alike.size(); ++k)
                names += (k + 1 == alike.size() ? " and " : ", ") + alike[k];
            notes_.push_back("drivers " + names + " look alike but are not interchangeable: " + reason);
        }
        if (!group.member_indices.empty()) {
            for (const Pair& p : first_side) claimed[kind_index(p.kind)][static_cast<std::size_t>(p.first)] = true;
            groups_.push_back(std::move(group));
        }
    }
}

void Symmetry::build_renamings() {
    const Scenario& s = model_.scenario();
    const ProgramSet& programs = model_.programs();
    const Renaming identity = identity_renaming(s, programs.programs.size());
    renamings_ = {identity};
    member_orders_ = {{}};
    for (const CloneGroup& group : groups_) {
        const std::size_t members = group.drivers.size();
        std::vector<std::size_t> order(members);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::vector<Renaming> combined;
        std::vector<std::vector<std::uint8_t>> combined_orders;
        // order[j]: the member that member j's things become.
        do {
            for (std::size_t b = 0; b < renamings_.size(); ++b) {
                Renaming r = renamings_[b];
                auto& orders = combined_orders.emplace_back(member_orders_[b]);
                for (std::size_t j = 0; j < members; ++j) orders.push_back(static_cast<std::uint8_t>(order[j]));
                for (std::size_t j = 0; j < members; ++j)
                    for (std::size_t k = 0; k < kIndexKinds; ++k) {
                        const auto& from = group.member_indices[j][k];
                        const auto& to = group.member_indices[order[j]][k];
                        for (std::size_t slot = 0; slot < from.size(); ++slot)
                            r.map[k][static_cast<std::size_t>(from[slot])] = to[slot];
                    }
                combined.push_back(std::move(r));
            }
        } while (std::next_permutation(order.begin(), order.end()));
        renamings_ = std::move(combined);
        member_orders_ = std::move(combined_orders);
    }
    for (Renaming& r : renamings_) {
        r.programs = identity.programs;
        map_programs(programs, r);
    }
    same_group_.clear();
    for (std::size_t g = 0; g < groups_.size(); ++g) same_group_.insert(same_group_.end(), groups_[g].member_indices.size(), g);
}

std::string Symmetry::describe() const {
    if (groups_.empty()) return "no clone groups";
    std::string text = std::to_string(groups_.size()) + (groups_.size() == 1 ? " clone group" : " clone groups");
    // A member with several drivers (a master's and its component's) is written a+b.
    const char* separator = ": ";
    for (const CloneGroup& g : groups_) {
        text += separator;
        for (std::size_t j = 0; j < g.member_indices.size(); ++j) {
            const auto& drivers = g.member_indices[j][kind_index(IndexKind::Driver)];
            for (std::size_t k = 0; k < drivers.size(); ++k)
                text += (k > 0 ? "+" : j > 0 ? ", " : "") +
                        model_.scenario().drivers[static_cast<std::size_t>(drivers[k])].name;
        }
        separator = "; ";
    }
    return text;
}

Renaming Symmetry::inverse(const Renaming& r) const {
    Renaming out = r;
    for (std::size_t k = 0; k < kIndexKinds; ++k)
        for (std::size_t x = 0; x < r.map[k].size(); ++x)
            out.map[k][static_cast<std::size_t>(r.map[k][x])] = static_cast<int>(x);
    for (std::size_t p = 0; p < r.programs.size(); ++p) out.programs[r.programs[p]] = static_cast<std::uint16_t>(p);
    return out;
}

Node Symmetry::rename(const Renaming& r, const Node& node) const {
    Node out = node;
    auto u8 = [](int v) { return static_cast<std::uint8_t>(v); };
    switch (node.kind) {
    case NodeKind::Resource:
        out.resource = u8(r(IndexKind::Resource, node.resource));
        if (node.context.kind == Context::MasterBind) out.context.object = u8(r(IndexKind::Master, node.context.object));
        if (node.context.kind == Context::ComponentBind)
            out.context.object = u8(r(IndexKind::Component, node.context.object));
        break;
    case NodeKind::GroupOpen:
        switch (node.id.kind) {
        case GroupIdKind::Self: break;
        case GroupIdKind::Master: out.id.value = u8(r(IndexKind::Master, node.id.value)); break;
        case GroupIdKind::Component: out.id.value = u8(r(IndexKind::Component, node.id.value)); break;
        case GroupIdKind::Named: out.id.value = u8(r(IndexKind::GroupId, node.id.value)); break;
        }
        switch (node.creator) {
        case GroupCreator::Driver: break;
        case GroupCreator::DT1: out.creator_object = u8(r(IndexKind::Master, node.creator_object)); break;
        case GroupCreator::DT3:
        case GroupCreator::DT4: out.creator_object = u8(r(IndexKind::Component, node.creator_object)); break;
        }
        break;
    case NodeKind::GroupClose: break;
    }
    return out;
}

void Symmetry::rename_into(const Renaming& r, const World& w, World& out) const {
    auto at = [&](IndexKind kind, std::size_t x) { return static_cast<std::size_t>(r(kind, static_cast<int>(x))); };
    auto i8 = [](int v) { return static_cast<std::int8_t>(v); };
    out.devices.resize(w.devices.size());
    for (std::size_t d = 0; d < w.devices.size(); ++d) {
        const DevresList& from = w.devices[d];
        DevresList& to = out.devices[at(IndexKind::Device, d)];
        to.resize(from.size());
        for (std::size_t k = 0; k < from.size(); ++k) to[k] = rename(r, from[k]);
    }
    out.threads.resize(w.threads.size());
    for (std::size_t t = 0; t < w.threads.size(); ++t) {
        Thread& to = out.threads[at(IndexKind::Driver, t)];
        to = w.threads[t];
        for (Frame& f : to.stack) {
            f.program = r.programs[f.program];
            f.m = i8(r(IndexKind::Master, f.m));
            f.c = i8(r(IndexKind::Component, f.c));
        }
    }
    out.component_list.resize(w.component_list.size());
    for (std::size_t k = 0; k < w.component_list.size(); ++k)
        out.component_list[k] = i8(r(IndexKind::Component, w.component_list[k]));
    out.masters_list.resize(w.masters_list.size());
    for (std::size_t k = 0; k < w.masters_list.size(); ++k)
        out.masters_list[k] = i8(r(IndexKind::Master, w.masters_list[k]));
    out.components.resize(w.components.size());
    for (std::size_t c = 0; c < w.components.size(); ++c) {
        ComponentState& to = out.components[at(IndexKind::Component, c)];
        to.bound = w.components[c].bound;
        to.master = i8(r(IndexKind::Master, w.components[c].master));
    }
    out.masters.resize(w.masters.size());
    for (std::size_t m = 0; m < w.masters.size(); ++m) {
        MasterState& to = out.masters[at(IndexKind::Master, m)];
        to = w.masters[m];
        for (MatchEntry& e : to.entries) e.component = i8(r(IndexKind::Component, e.component));
    }
    out.resources.resize(w.resources.size());
    for (std::size_t x = 0; x < w.resources.size(); ++x) out.resources[at(IndexKind::Resource, x)] = w.resources[x];
    out.completions.resize(w.completions.size());
    for (std::size_t x = 0; x < w.completions.size(); ++x)
        out.completions[at(IndexKind::Completion, x)] = w.completions[x];
    out.mutex_owner = i8(r(IndexKind::Driver, w.mutex_owner));
    out.open_group_failures_left = w.open_group_failures_left;
}

World Symmetry::rename(const Renaming& r, const World& world) const {
    World out;
    rename_into(r, world, out);
    return out;
}

Event Symmetry::rename(const Renaming& r, const Event& e) const {
    Event out = e;
    auto i8 = [](int v) { return static_cast<std::int8_t>(v); };
    out.thread = i8(r(IndexKind::Driver, e.thread));
    out.code_owner = i8(r(IndexKind::Driver, e.code_owner));
    out.device = i8(r(IndexKind::Device, e.device));
    out.master = i8(r(IndexKind::Master, e.master));
    out.component = i8(r(IndexKind::Component, e.component));
    // Nodes an event does not carry stay default: a default node reads as
    // allocation site 0, which a renaming must not move.
    bool carries_node = false;
    switch (e.kind) {
    case EventKind::DevresAdd:
    case EventKind::DevresRemove:
    case EventKind::DevresRelease:
    case EventKind::Use:
    case EventKind::DriverFree: carries_node = true; break;
    case EventKind::Bug: carries_node = e.bug == BugKind::CloseClosedGroup; break;
    default: break;
    }
    if (carries_node) out.node = rename(r, e.node);
    if (e.selected_group.kind == NodeKind::GroupOpen) out.selected_group = rename(r, e.selected_group);
    if (e.intruded_group.kind == NodeKind::GroupOpen) out.intruded_group = rename(r, e.intruded_group);
    switch (e.kind) {
    case EventKind::Complete:
    case EventKind::WaitDone:
    case EventKind::WaitTimeout:
    case EventKind::InitCompletion: out.value = static_cast<std::int16_t>(r(IndexKind::Completion, e.value)); break;
    default: break;
    }
    return out;
}

Step Symmetry::rename(const Renaming& r, Step step) const {
    step.thread = static_cast<std::uint8_t>(r(IndexKind::Driver, step.thread));
    return step;
}

// What a member looks like from the inside, in terms a renaming keeps:
// equal for a member of w and its image in any renaming of w.
void Symmetry::member_keys(const World& w, std::vector<std::string>& keys) const {
    keys.clear();
    for (const CloneGroup& group : groups_) {
        for (const auto& member : group.member_indices) {
            std::string& key = keys.emplace_back();
            for (int d : member[kind_index(IndexKind::Driver)]) {
                const Thread& th = w.threads[static_cast<std::size_t>(d)];
                key += static_cast<char>(th.phase);
                key += static_cast<char>(th.probes_left);
                key += static_cast<char>(th.resumes_left);
                key += static_cast<char>(th.stack.size());
                if (!th.stack.empty()) {
                    key += static_cast<char>(th.stack.back().pc & 0xff);
                    key += static_cast<char>(th.stack.back().pc >> 8);
                }
            }
            for (int x : member[kind_index(IndexKind::Device)])
                key += static_cast<char>(w.devices[static_cast<std::size_t>(x)].size());
            for (int x : member[kind_index(IndexKind::Resource)])
                key += static_cast<char>(w.resources[static_cast<std::size_t>(x)]);
            for (int x : member[kind_index(IndexKind::Component)]) {
                const ComponentState& c = w.components[static_cast<std::size_t>(x)];
                key += static_cast<char>((c.bound ? 1 : 0) | (c.master >= 0 ? 2 : 0));
            }
            for (int x : member[kind_index(IndexKind::Master)]) {
                const MasterState& m = w.masters[static_cast<std::size_t>(x)];
                key += static_cast<char>(m.bound ? 1 : 0);
                key += static_cast<char>(std::count_if(m.entries.begin(), m.entries.end(),
                                                       [](const MatchEntry& e) { return e.component >= 0; }));
            }
            for (int x : member[kind_index(IndexKind::Completion)])
                key += static_cast<char>(w.completions[static_cast<std::size_t>(x)]);
        }
    }
}

// Only renamings that put the members in the order of their keys are
// tried: which ones those are depends on the world, but the worlds they
// give are the same for every world of an orbit, so the minimum is still
// a function of the orbit alone.
std::size_t Symmetry::canonicalise(World& world) const {
    if (renamings_.size() == 1) return 0;
    thread_local World candidate;
    thread_local World best_world;
    thread_local std::vector<std::byte> best, bytes;
    thread_local std::vector<std::string> keys;
    member_keys(world, keys);
    std::size_t best_index = renamings_.size();
    for (std::size_t k = 0; k < renamings_.size(); ++k) {
        const auto& order = member_orders_[k];
        bool sorts = true;
        for (std::size_t a = 0; sorts && a < order.size(); ++a)
            for (std::size_t b = 0; sorts && b < order.size(); ++b)
                if (same_group_[a] == same_group_[b] && keys[a] < keys[b] && order[a] > order[b]) sorts = false;
        if (!sorts) continue;
        if (k != 0) rename_into(renamings_[k], world, candidate);
        bytes.clear();
        model_.encode(k == 0 ? world : candidate, bytes);
        if (best_index == renamings_.size() || less_bytes(bytes, best)) {
            best.swap(bytes);
            best_index = k;
            if (k != 0) std::swap(best_world, candidate);
        }
    }
    if (best_index != 0) std::swap(world, best_world);
    return best_index;
}

int Symmetry::renaming_between(const World& from, const World& to) const {
    std::vector<std::byte> target, bytes;
    model_.encode(to, target);
    World candidate;
    for (std::size_t k = 0; k < renamings_.size(); ++k) {
        rename_into(renamings_[k], from, candidate);
        bytes.clear();
        model_.encode(candidate, bytes);
        if (bytes == target) return static_cast<int>(k);
    }
    return -1;
}

std::vector<std::uint32_t> Symmetry::real_run(const std::vector<std::uint32_t>& steps) const {
    // actual: the run being built; representative: where the stored path is.
    // `to_representative` maps the one onto the other after every step.
    World actual = model_.initial();
    World representative = actual;
    canonicalise(representative);
    std::vector<std::uint32_t> out;
    Events events;
    for (std::uint32_t code : steps) {
        const int k = renaming_between(actual, representative);
        if (k < 0) throw std::logic_error("symmetry: a state is not in its representative's orbit");
        const Renaming back = inverse(renamings_[static_cast<std::size_t>(k)]);
        const Step step = model_.step_from_code(code);
        const Step real = rename(back, step);
        events.clear();
        if (!model_.apply(representative, step, events))
            throw std::logic_error("symmetry: a stored step does not apply to its representative");
        events.clear();
        if (!model_.apply(actual, real, events))
            throw std::logic_error("symmetry: a renamed step does not apply");
        canonicalise(representative);
        out.push_back(model_.step_code(real));
    }
    return out;
}

} // namespace bindcheck::model
