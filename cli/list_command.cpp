#include <algorithm>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "model/variant.hpp"
#include "properties/property.hpp"

namespace bindcheck::cli {
namespace {

// Words joined by `separator`, wrapped to 80 columns, each line indented by `indent` spaces.
std::string wrapped(const std::vector<std::string>& words, std::string_view separator, std::size_t indent) {
    std::string text, line(indent, ' ');
    for (std::size_t k = 0; k < words.size(); ++k) {
        const std::string word = words[k] + (k + 1 < words.size() ? std::string(separator) : "");
        if (line.size() > indent && line.size() + word.size() > 80) {
            while (line.back() == ' ') line.pop_back();
            text += line + "\n";
            line.assign(indent, ' ');
        }
        line += word;
    }
    return text + line + "\n";
}

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find(' ', at), text.size());
        if (end > at) words.emplace_back(text.substr(at, end - at));
        at = end + 1;
    }
    return words;
}

void list_variants(std::ostream& out) {
    for (const model::Variant& v : model::variant_presets()) {
        out << v.name;
        auto aliases = model::variant_aliases(v.name);
        for (std::size_t k = 0; k < aliases.size(); ++k) out << (k == 0 ? " (" : ", ") << aliases[k];
        if (!aliases.empty()) out << ")";
        out << "  " << v.commit << "\n";
        out << wrapped(words_of("kernels: " + v.releases), " ", 4);
        out << wrapped(words_of(v.description), " ", 4);
        std::vector<std::string> settings;
        for (const model::VariationPoint& point : model::variation_points())
            settings.push_back(std::string(point.name) + "=" + std::string(model::variation_value(v, point)));
        out << wrapped(settings, " ", 4);
    }
    out << "\nvariation points (--set POINT=VALUE after --variant, or VARIANT+POINT=VALUE,\n"
           "e.g. V2+close_after_bind=absent); a group call is absent (not made), null\n"
           "(NULL id: the latest open group) or master (the master's id):\n";
    std::size_t width = 0;
    for (const model::VariationPoint& point : model::variation_points()) width = std::max(width, point.name.size());
    for (const model::VariationPoint& point : model::variation_points()) {
        std::string name(point.name);
        name.resize(width, ' ');
        std::string values;
        for (std::string_view value : point.values) values += (values.empty() ? "" : " | ") + std::string(value);
        out << "  " << name << "  " << values << "\n";
        out << wrapped(words_of(point.where), " ", 6);
    }
}

} // namespace

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
    list_variants(out);
    return kAllHold;
}

} // namespace bindcheck::cli
