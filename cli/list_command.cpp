#include <ostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "model/variant.hpp"
#include "properties/property.hpp"

namespace bindcheck::cli {

int list_command(const std::string& what, std::ostream& out, std::ostream&) {
    if (what == "properties") {
        for (const auto& p : properties::all_properties()) {
            std::string name(p->name());
            std::string inv(p->invariant());
            name.resize(std::max<std::size_t>(name.size(), 17), ' ');
            inv.resize(std::max<std::size_t>(inv.size(), 15), ' ');
            out << name << " " << inv << " " << p->summary() << "\n";
        }
        return kAllHold;
    }
    for (const model::Variant& v : model::variant_presets()) {
        out << v.name;
        auto aliases = model::variant_aliases(v.name);
        for (std::size_t k = 0; k < aliases.size(); ++k) out << (k == 0 ? " (" : ", ") << aliases[k];
        if (!aliases.empty()) out << ")";
        out << "  " << v.commit << "; " << v.releases << "\n";
        out << "    " << v.description << "\n";
        out << "    master group open: " << model::to_string(v.master_group_open)
            << ", close after bind: " << model::to_string(v.close_after_bind)
            << ", release on bind failure: " << model::to_string(v.release_on_bind_failure)
            << ", release at take-down: " << model::to_string(v.release_at_take_down) << "\n";
        out << "    release_group on empty list silent: " << (v.release_group_on_empty_list_is_silent ? "yes" : "no")
            << ", unbind of unbound returns early: " << (v.unbind_of_unbound_returns_early ? "yes" : "no") << "\n";
    }
    return kAllHold;
}

} // namespace bindcheck::cli
