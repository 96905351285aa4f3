#include "properties/property_base.hpp"

namespace bindcheck::properties {

const std::vector<std::unique_ptr<Property>>& all_properties() {
    static const std::vector<std::unique_ptr<Property>> table = [] {
        std::vector<std::unique_ptr<Property>> v;
        v.push_back(make_foreign_free());
        v.push_back(make_framework_free());
        v.push_back(make_use_after_free());
        v.push_back(make_bind_scope());
        v.push_back(make_open_group());
        v.push_back(make_group_provenance());
        v.push_back(make_devres_warn());
        v.push_back(make_double_release());
        v.push_back(make_leak());
        return v;
    }();
    return table;
}

const Property* find_property(std::string_view name) {
    for (const auto& p : all_properties())
        if (p->name() == name) return p.get();
    return nullptr;
}

const Property& property(PropertyId id) { return *all_properties().at(static_cast<std::size_t>(id)); }

} // namespace bindcheck::properties
