#include "cli/report.hpp"

#include <cstdio>
#include <ostream>

#include "cli/exit_codes.hpp"
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

std::string progress_line(const checker::Progress& p) {
    char line[200];
    std::snprintf(line, sizeof line, "\rstates %llu  %.0f/s  depth %llu  queue %llu  memory %s   ",
                  static_cast<unsigned long long>(p.states), p.states_per_second,
                  static_cast<unsigned long long>(p.depth), static_cast<unsigned long long>(p.queue_length),
                  mebibytes(p.peak_memory_bytes).c_str());
    return line;
}

std::string statistics_line(const checker::Statistics& s) {
    char line[200];
    std::snprintf(line, sizeof line, "statistics: states %llu, transitions %llu, depth %llu, time %.2f s, peak memory %s",
                  static_cast<unsigned long long>(s.states), static_cast<unsigned long long>(s.transitions),
                  static_cast<unsigned long long>(s.depth), s.seconds, mebibytes(s.peak_memory_bytes).c_str());
    return line;
}

int write_check_report(const model::BindModel& model, const CheckOptions& options,
                       const std::vector<properties::PropertyId>& selected,
                       const checker::SearchResult<model::BindModel>& result, std::ostream& out, std::ostream& err) {
    const bool complete = result.outcome != checker::Outcome::LimitReached && !result.depth_truncated;
    out << "bindcheck check " << options.model.scenario_path << "\nvariant " << model.variant().name << " ("
        << model.variant().commit << "), granularity " << options.model.granularity << "\n\n";

    std::vector<counterexamples::Counterexample> counterexamples;
    for (properties::PropertyId id : selected) {
        const properties::Property& p = properties::property(id);
        out << "  " << padded(p.name(), 18) << padded(p.invariant(), 15);
        const checker::Finding* finding = finding_for(result, static_cast<unsigned>(id));
        if (!finding) {
            out << (complete ? "holds" : "not violated in the explored space") << "\n";
            continue;
        }
        auto replayed = counterexamples::replay(model, finding->steps);
        if (auto* error = std::get_if<counterexamples::ReplayError>(&replayed)) {
            err << "bindcheck: internal error: the " << p.name() << " trace does not replay: " << error->message
                << "\n";
            return kBadInput;
        }
        auto& trace = std::get<counterexamples::Trace>(replayed);
        auto violation = counterexamples::judge_end(model, trace, p);
        if (!violation) {
            err << "bindcheck: internal error: the " << p.name() << " trace does not end in a violation\n";
            return kBadInput;
        }
        out << "VIOLATED, shortest trace " << trace.steps.size() << " steps\n";
        counterexamples.push_back({&p, std::move(trace), std::move(*violation)});
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
        case checker::Limit::None: out << "the depth bound cut the search"; break;
        }
        out << "; every state up to depth " << result.stats.depth
            << (result.limit == checker::Limit::Depth ? "" : " (the last level partly)") << " was explored\n";
    }
    for (const auto& cx : counterexamples) out << "\n" << counterexamples::render_text(model, cx);
    out << "\n" << statistics_line(result.stats) << "\n";

    if (!counterexamples.empty()) return kViolation;
    return complete ? kAllHold : kLimitReached;
}

} // namespace bindcheck::cli
