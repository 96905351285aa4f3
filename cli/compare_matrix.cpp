#include "cli/compare_matrix.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace bindcheck::cli {
namespace {

constexpr std::size_t kLineWidth = 80;
constexpr std::size_t kGap = 2;

std::string cell_text(const CompareCell& cell) {
    switch (cell.verdict) {
    case CompareCell::Verdict::Holds: return "holds";
    case CompareCell::Verdict::Violated: return std::to_string(cell.steps);
    case CompareCell::Verdict::Limit: return "limit";
    }
    return "?";
}

std::string_view limit_words(checker::Limit limit) {
    switch (limit) {
    case checker::Limit::Depth: return "the depth limit (--max-depth)";
    case checker::Limit::States: return "the state limit (--max-states)";
    case checker::Limit::Time: return "the time limit (--max-time)";
    case checker::Limit::Memory: return "the memory budget (--max-memory)";
    case checker::Limit::None: break;
    }
    return "the depth bound";
}

std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

std::string trimmed_right(std::string line) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line;
}

std::string title(const CompareMatrix& m) {
    auto count = [](std::size_t n, const char* one, const char* many) {
        return std::to_string(n) + " " + (n == 1 ? one : many);
    };
    return "bindcheck compare: " + count(m.scenarios.size(), "scenario", "scenarios") + " x " +
           count(m.variants.size(), "variant", "variants") + " x " +
           count(m.granularities.size(), "granularity", "granularities");
}

// "V1 (9e1ccb4a7700), V2 (c87761db2100)" wrapped after "variants: ".
std::string variant_legend(const CompareMatrix& m) {
    std::string text, line = "variants:";
    for (std::size_t k = 0; k < m.variants.size(); ++k) {
        const std::string item = " " + m.variants[k].name + " (" + m.variants[k].commit + ")" +
                                 (k + 1 < m.variants.size() ? "," : "");
        if (line.size() > 10 && line.size() + item.size() > kLineWidth) {
            text += line + "\n";
            line = "          ";
        }
        line += item;
    }
    return text + line + "\n";
}

constexpr const char* kCellLegend = "holds: holds in the whole state space; N: violated, the shortest "
                                    "counterexample has N steps; limit: a limit stopped the search before "
                                    "it found a violation.";

std::string wrapped(std::string_view text) {
    std::string out, line;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find(' ', at), text.size());
        const std::string_view word = text.substr(at, end - at);
        if (!line.empty() && line.size() + 1 + word.size() > kLineWidth) {
            out += line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + std::string(word);
        at = end + 1;
    }
    return out + line + "\n";
}

// The runs of one scenario, in column order.
std::vector<const CompareRun*> runs_of(const CompareMatrix& m, std::size_t scenario) {
    std::vector<const CompareRun*> runs;
    for (const CompareRun& r : m.runs)
        if (r.scenario == scenario) runs.push_back(&r);
    return runs;
}

std::vector<std::string> stopped_notes(const CompareMatrix& m, const std::vector<const CompareRun*>& runs) {
    std::vector<std::string> notes;
    for (const CompareRun* r : runs)
        if (!r->complete)
            notes.push_back(m.variants[r->variant].name + " " + r->granularity + ": stopped by " +
                            std::string(limit_words(r->limit)) + " at depth " + std::to_string(r->stats.depth));
    return notes;
}

std::string text_table(const CompareMatrix& m, const std::vector<const CompareRun*>& runs) {
    std::size_t label_width = 0;
    for (const std::string& p : m.properties) label_width = std::max(label_width, 2 + p.size() + kGap);

    // Column widths; a variant's name spans its granularity columns.
    std::vector<std::size_t> width(runs.size());
    for (std::size_t c = 0; c < runs.size(); ++c) {
        width[c] = runs[c]->granularity.size();
        for (const CompareCell& cell : runs[c]->cells) width[c] = std::max(width[c], cell_text(cell).size());
    }
    struct Group {
        std::size_t first, count, width;
    };
    std::vector<Group> groups;
    for (std::size_t c = 0; c < runs.size();) {
        std::size_t n = 1;
        while (c + n < runs.size() && runs[c + n]->variant == runs[c]->variant) ++n;
        std::size_t span = 0;
        for (std::size_t k = c; k < c + n; ++k) span += width[k] + (k > c ? kGap : 0);
        const std::size_t name = m.variants[runs[c]->variant].name.size();
        if (name > span) {
            width[c + n - 1] += name - span;
            span = name;
        }
        groups.push_back({c, n, span});
        c += n;
    }

    std::string text;
    for (std::size_t g = 0; g < groups.size();) {
        // As many variants as fit the line; at least one.
        std::size_t end = g + 1, line = label_width + groups[g].width;
        while (end < groups.size() && line + kGap + groups[end].width <= kLineWidth) line += kGap + groups[end++].width;
        if (g > 0) text += "\n";
        std::string names(label_width, ' '), grans(label_width, ' ');
        std::vector<std::string> rows;
        for (const std::string& p : m.properties) rows.push_back(padded("  " + p, label_width));
        for (std::size_t k = g; k < end; ++k) {
            const Group& group = groups[k];
            if (k > g) names += std::string(kGap, ' ');
            names += padded(m.variants[runs[group.first]->variant].name, group.width);
            for (std::size_t c = group.first; c < group.first + group.count; ++c) {
                const std::string gap = c == groups[g].first ? "" : std::string(kGap, ' ');
                grans += gap + padded(runs[c]->granularity, width[c]);
                for (std::size_t r = 0; r < rows.size(); ++r) rows[r] += gap + padded(cell_text(runs[c]->cells[r]), width[c]);
            }
        }
        text += trimmed_right(names) + "\n" + trimmed_right(grans) + "\n";
        for (const std::string& row : rows) text += trimmed_right(row) + "\n";
        g = end;
    }
    return text;
}

nlohmann::ordered_json variant_json(const model::Variant& v) {
    nlohmann::ordered_json j;
    j["name"] = v.name;
    j["preset"] = v.preset;
    j["commit"] = v.commit;
    nlohmann::ordered_json settings = nlohmann::ordered_json::object();
    for (const model::VariationPoint& point : model::variation_points())
        settings[std::string(point.name)] = std::string(model::variation_value(v, point));
    j["settings"] = std::move(settings);
    return j;
}

} // namespace

bool CompareMatrix::complete() const {
    return std::all_of(runs.begin(), runs.end(), [](const CompareRun& r) { return r.complete; });
}

std::string render_compare_text(const CompareMatrix& m) {
    std::string text = title(m) + "\n" + variant_legend(m);
    for (std::size_t s = 0; s < m.scenarios.size(); ++s) {
        const auto runs = runs_of(m, s);
        text += "\n" + m.scenarios[s] + "\n" + text_table(m, runs);
        for (const std::string& note : stopped_notes(m, runs)) text += "  " + note + "\n";
    }
    return text + "\n" + wrapped(kCellLegend);
}

std::string render_compare_markdown(const CompareMatrix& m) {
    std::string text = title(m) + ".\n";
    for (std::size_t s = 0; s < m.scenarios.size(); ++s) {
        const auto runs = runs_of(m, s);
        text += "\n### " + m.scenarios[s] + "\n\n| property |";
        std::string rule = "| --- |";
        for (const CompareRun* r : runs) {
            text += " " + m.variants[r->variant].name + " " + r->granularity + " |";
            rule += " ---: |";
        }
        text += "\n" + rule + "\n";
        for (std::size_t p = 0; p < m.properties.size(); ++p) {
            text += "| `" + m.properties[p] + "` |";
            for (const CompareRun* r : runs) text += " " + cell_text(r->cells[p]) + " |";
            text += "\n";
        }
        const auto notes = stopped_notes(m, runs);
        if (!notes.empty()) text += "\n";
        for (const std::string& note : notes) text += "- " + note + "\n";
    }
    text += "\nVariants:";
    for (std::size_t k = 0; k < m.variants.size(); ++k)
        text += std::string(k ? "," : "") + " " + m.variants[k].name + " (" + m.variants[k].commit + ")";
    return text + ".\n\n" + kCellLegend + "\n";
}

std::string render_compare_json(const CompareMatrix& m) {
    using Json = nlohmann::ordered_json;
    Json doc;
    doc["format"] = "bindcheck-compare";
    doc["version"] = 1;
    doc["complete"] = m.complete();
    doc["scenarios"] = m.scenarios;
    Json variants = Json::array();
    for (const model::Variant& v : m.variants) variants.push_back(variant_json(v));
    doc["variants"] = std::move(variants);
    doc["granularities"] = m.granularities;
    doc["properties"] = m.properties;
    Json runs = Json::array();
    for (const CompareRun& r : m.runs) {
        Json run;
        run["scenario"] = m.scenarios[r.scenario];
        run["variant"] = m.variants[r.variant].name;
        run["granularity"] = r.granularity;
        run["complete"] = r.complete;
        run["stopped_by"] = r.complete ? Json(nullptr) : Json(std::string(checker::to_string(r.limit)));
        run["statistics"] = {{"states", r.stats.states},
                             {"transitions", r.stats.transitions},
                             {"depth", r.stats.depth},
                             {"seconds", r.stats.seconds}};
        Json verdicts = Json::object();
        for (std::size_t p = 0; p < m.properties.size(); ++p) {
            const CompareCell& cell = r.cells[p];
            Json v;
            switch (cell.verdict) {
            case CompareCell::Verdict::Holds: v["verdict"] = "holds"; break;
            case CompareCell::Verdict::Limit: v["verdict"] = "limit"; break;
            case CompareCell::Verdict::Violated:
                v["verdict"] = "violated";
                v["steps"] = cell.steps;
                if (!cell.trace_file.empty()) v["trace_file"] = cell.trace_file;
                break;
            }
            verdicts[m.properties[p]] = std::move(v);
        }
        run["verdicts"] = std::move(verdicts);
        runs.push_back(std::move(run));
    }
    doc["runs"] = std::move(runs);
    return doc.dump(2) + "\n";
}

} // namespace bindcheck::cli
