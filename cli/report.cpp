#include "cli/report.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "cli/exit_codes.hpp"
#include "cli/property_search.hpp"
#include "counterexamples/render_dmesg.hpp"
#include "counterexamples/render_text.hpp"
#include "properties/naming.hpp"
#include "properties/observer.hpp"

namespace bindcheck::cli {
namespace {

std::string mebibytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return text;
}

std::string padded(std::string_view text, std::size_t width) {
    std::string s(text);
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}

const checker::Finding* finding_for(const checker::SearchResult<model::BindModel>& result, unsigned bit) {
    for (const auto& f : result.findings)
        if (f.bit == bit) return &f;
    return nullptr;
}

// What each thread still running at the end of a trace is blocked on.
std::string blocked_threads(const model::BindModel& model, const model::World& w) {
    std::string text;
    const auto& s = model.scenario();
    for (std::size_t t = 0; t < w.threads.size(); ++t) {
        const model::Thread& th = w.threads[t];
        if (th.phase != model::Phase::Running) continue;
        const model::Frame& f = th.stack.back();
        const model::Instruction& i = model.programs().programs[f.program].code[f.pc];
        std::string on = i.op == model::Op::Lock ? "mutex_lock(&component_mutex)"
                         : i.op == model::Op::Wait ? "wait_for_completion(" + s.completions.at(i.a) + ")"
                                                   : "a step that never becomes enabled";
        if (!text.empty()) text += "; ";
        text += s.drivers[t].name + " waits forever in " + on;
    }
    return text;
}

} // namespace

std::string progress_line(const checker::Progress& p, std::string_view extra) {
    char line[240];
    std::snprintf(line, sizeof line, "\rstates %llu  %.0f/s  depth %llu  queue %llu  memory %s (store %s)%s%.*s   ",
                  static_cast<unsigned long long>(p.states), p.states_per_second,
                  static_cast<unsigned long long>(p.depth), static_cast<unsigned long long>(p.queue_length),
                  mebibytes(p.peak_memory_bytes).c_str(), mebibytes(p.memory_bytes).c_str(), extra.empty() ? "" : "  ",
                  static_cast<int>(extra.size()), extra.data());
    return line;
}

std::string statistics_line(const checker::Statistics& s) {
    char line[200];
    std::snprintf(line, sizeof line, "statistics: states %llu, transitions %llu, depth %llu, time %.2f s, peak memory %s",
                  static_cast<unsigned long long>(s.states), static_cast<unsigned long long>(s.transitions),
                  static_cast<unsigned long long>(s.depth), s.seconds, mebibytes(s.peak_memory_bytes).c_str());
    return line;
}

std::string hash_compact_line(const checker::Statistics& s) {
    char line[200];
    std::snprintf(line, sizeof line,
                  "hash compaction: states kept as 64-bit fingerprints; probability that a state was missed "
                  "<= %.1e",
                  s.omission_probability);
    return line;
}

std::string variant_lines(const model::Variant& variant, std::string_view granularity) {
    std::string text = "variant " + variant.preset + " (" + variant.commit + "), granularity " +
                       std::string(granularity) + "\n";
    const auto preset = model::find_variant(variant.preset);
    if (!preset) return text;
    for (const model::VariationPoint& point : model::variation_points()) {
        const std::string_view value = model::variation_value(variant, point), was = model::variation_value(*preset, point);
        if (value != was)
            text += "  set " + std::string(point.name) + "=" + std::string(value) + " instead of " + std::string(was) +
                    "\n";
    }
    return text;
}

int write_check_report(const model::BindModel& model, const CheckOptions& options,
                       const std::vector<properties::PropertyId>& selected,
                       const checker::SearchResult<model::BindModel>& result, std::ostream& out, std::ostream& err,
                       std::vector<counterexamples::Counterexample>* found) {
    const bool complete = explored_completely(result);
    out << "bindcheck check " << options.model.scenario_path << "\n"
        << variant_lines(model.variant(), options.model.granularity) << "\n";

    auto replayed = replay_findings(model, selected, result, err);
    if (!replayed) return kBadInput;
    std::vector<counterexamples::Counterexample> counterexamples = std::move(*replayed);
    for (properties::PropertyId id : selected) {
        const properties::Property& p = properties::property(id);
        out << "  " << padded(p.name(), 18) << padded(p.invariant(), 15);
        const auto cx = std::find_if(counterexamples.begin(), counterexamples.end(),
                                     [&](const counterexamples::Counterexample& c) { return c.property == &p; });
        if (cx == counterexamples.end())
            out << (complete ? "holds" : "not violated in the explored space") << "\n";
        else
            out << "VIOLATED, shortest trace " << cx->trace.steps.size() << " steps\n";
    }

    if (const checker::Finding* info = finding_for(result, properties::kWaitsForeverBit)) {
        auto replayed = counterexamples::replay(model, info->steps);
        if (auto* trace = std::get_if<counterexamples::Trace>(&replayed))
            out << "\nnote: after " << trace->steps.size() << " steps " << blocked_threads(model, trace->final)
                << " (information, not a violation)\n";
    }
    if (!complete) {
        out << "\nstopped: ";
        switch (result.limit) {
        case checker::Limit::Depth: out << "--max-depth " << options.max_depth << " reached"; break;
        case checker::Limit::States: out << "--max-states " << options.max_states << " reached"; break;
        case checker::Limit::Time: out << "--max-time " << options.max_seconds << " s reached"; break;
        case checker::Limit::Memory:
            out << (options.max_memory.empty() ? std::string("the memory budget (80% of the memory available at start)")
                                               : "--max-memory " + options.max_memory)
                << " reached";
            break;
        case checker::Limit::None: out << "the depth bound cut the search"; break;
        }
        out << "; every state up to depth " << result.stats.depth
            << (result.limit == checker::Limit::Depth ? "" : " (the last level partly)") << " was explored\n";
    }
    for (const auto& cx : counterexamples)
        out << "\n"
            << (options.format == "dmesg" ? counterexamples::render_dmesg(model, cx, options.model.scenario_path)
                                          : counterexamples::render_text(model, cx));
    out << "\n" << statistics_line(result.stats) << "\n";
    if (options.store == "hash-compact") out << hash_compact_line(result.stats) << "\n";

    const bool violated = !counterexamples.empty();
    if (found) *found = std::move(counterexamples);
    if (violated) return kViolation;
    return complete ? kAllHold : kLimitReached;
}

} // namespace bindcheck::cli
