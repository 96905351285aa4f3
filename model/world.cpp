#include "model/world.hpp"

#include <algorithm>

namespace bindcheck::model {

bool World::master_registered(int m) const {
    return std::find(masters_list.begin(), masters_list.end(), m) != masters_list.end();
}

bool World::component_registered(int c) const {
    return std::find(component_list.begin(), component_list.end(), c) != component_list.end();
}

int World::open_framework_groups() const {
    int open = 0;
    for (const DevresList& list : devices)
        for (const Node& n : list)
            if (n.kind == NodeKind::GroupOpen && n.creator != GroupCreator::Driver && !group_is_closed(list, n.tag))
                ++open;
    return open;
}

bool World::quiescent() const {
    return std::all_of(threads.begin(), threads.end(),
                       [](const Thread& t) { return t.phase == Phase::Unbound && t.stack.empty(); });
}

} // namespace bindcheck::model
