// bindcheck replay TRACE.json: re-executes the schedules a JSON trace
// records (docs/trace-json.md) and compares every step's events. Exit 0:
// every selected trace reproduces its violation; 1: a run diverges (which
// step, how); 2: the file is malformed or does not fit this bindcheck.

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "counterexamples/render_json.hpp"
#include "counterexamples/trace.hpp"
#include "model/scenario_parser.hpp"
#include "properties/naming.hpp"

namespace bindcheck::cli {
namespace {

using Json = nlohmann::json;

// A field that is missing or of the wrong type: the message names its path.
struct Malformed {
    std::string message;
};

std::optional<std::string> read_file(const std::string& path, std::string& error) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

const Json& member(const Json& object, const std::string& path, const char* key) {
    if (!object.is_object()) throw Malformed{(path.empty() ? "the document" : path) + " is not an object"};
    auto it = object.find(key);
    if (it == object.end()) throw Malformed{"missing field " + (path.empty() ? "" : path + ".") + key};
    return *it;
}

std::string path_of(const std::string& path, const char* key) { return path.empty() ? key : path + "." + key; }

std::string string_field(const Json& object, const std::string& path, const char* key) {
    const Json& j = member(object, path, key);
    if (!j.is_string()) throw Malformed{path_of(path, key) + ": expected a string"};
    return j.get<std::string>();
}

std::uint64_t unsigned_field(const Json& object, const std::string& path, const char* key, std::uint64_t max) {
    const Json& j = member(object, path, key);
    if (!j.is_number_unsigned() || j.get<std::uint64_t>() > max)
        throw Malformed{path_of(path, key) + ": expected an integer from 0 to " + std::to_string(max)};
    return j.get<std::uint64_t>();
}

const Json& array_field(const Json& object, const std::string& path, const char* key) {
    const Json& j = member(object, path, key);
    if (!j.is_array()) throw Malformed{path_of(path, key) + ": expected an array"};
    return j;
}

struct RecordedStep {
    model::Step step;
    const Json* events = nullptr;
};

struct RecordedTrace {
    const properties::Property* property = nullptr;
    std::string reason;
    int event = -1; // 0-based; -1: the final state
    std::vector<RecordedStep> steps;
};

model::Variant read_variant(const Json& doc) {
    const Json& v = member(doc, "", "variant");
    const std::string preset_name = string_field(v, "variant", "preset");
    auto variant = model::find_variant(preset_name);
    if (!variant) throw Malformed{"variant.preset: unknown preset '" + preset_name + "'"};
    const Json& settings = member(v, "variant", "settings");
    if (!settings.is_object()) throw Malformed{"variant.settings: expected an object"};
    for (const model::VariationPoint& point : model::variation_points()) {
        const std::string name(point.name);
        const std::string value = string_field(settings, "variant.settings", name.c_str());
        if (auto error = model::set_variation_point(*variant, name + "=" + value))
            throw Malformed{"variant.settings." + name + ": " + *error};
    }
    for (const auto& [name, value] : settings.items()) {
        const auto& points = model::variation_points();
        if (std::none_of(points.begin(), points.end(), [&](const auto& p) { return p.name == name; }))
            throw Malformed{"variant.settings: unknown variation point '" + name + "'"};
    }
    return *std::move(variant);
}

std::vector<RecordedTrace> read_traces(const Json& doc, const model::BindModel& model) {
    std::vector<RecordedTrace> traces;
    const Json& list = array_field(doc, "", "traces");
    for (std::size_t t = 0; t < list.size(); ++t) {
        const std::string path = "traces[" + std::to_string(t) + "]";
        const Json& trace = list[t];
        RecordedTrace r;
        const std::string name = string_field(trace, path, "property");
        r.property = properties::find_property(name);
        if (!r.property) throw Malformed{path + ".property: unknown property '" + name + "'"};
        const Json& violation = member(trace, path, "violation");
        r.reason = string_field(violation, path + ".violation", "reason");
        const Json& event = member(violation, path + ".violation", "event");
        if (!event.is_null()) {
            if (!event.is_number_unsigned() || event.get<std::uint64_t>() < 1 || event.get<std::uint64_t>() > 65536)
                throw Malformed{path + ".violation.event: expected null or an event number from 1"};
            r.event = static_cast<int>(event.get<std::uint64_t>()) - 1;
        }
        const Json& steps = array_field(trace, path, "steps");
        for (std::size_t k = 0; k < steps.size(); ++k) {
            const std::string at = path + ".steps[" + std::to_string(k) + "]";
            const Json& step = steps[k];
            const auto code = static_cast<std::uint32_t>(unsigned_field(step, at, "code", UINT32_MAX));
            const model::Step decoded = model.step_from_code(code);
            if (decoded.thread >= model.scenario().drivers.size() ||
                static_cast<int>(decoded.action) > static_cast<int>(model::Action::Resume) ||
                model.step_code(decoded) != code)
                throw Malformed{at + ".code: " + std::to_string(code) + " is no step of this scenario"};
            // The readable fields must say what the code says: a half-edited step is refused.
            const std::string driver = string_field(step, at, "driver");
            const std::string action = string_field(step, at, "action");
            const auto choices = unsigned_field(step, at, "choices", UINT16_MAX);
            const std::string meant = properties::driver_name(model.scenario(), decoded.thread) + " " +
                                      std::string(counterexamples::action_name(decoded.action)) + " choices " +
                                      std::to_string(decoded.choices);
            const std::string said = driver + " " + action + " choices " + std::to_string(choices);
            if (meant != said)
                throw Malformed{at + ": code " + std::to_string(code) + " means " + meant + ", but the step says " +
                                said};
            const Json& events = array_field(step, at, "events");
            for (std::size_t e = 0; e < events.size(); ++e)
                if (!events[e].is_object())
                    throw Malformed{at + ".events[" + std::to_string(e) + "]: expected an object"};
            r.steps.push_back({decoded, &events});
        }
        traces.push_back(std::move(r));
    }
    return traces;
}

std::string step_words(const model::BindModel& model, const model::Step& step) {
    return properties::driver_name(model.scenario(), step.thread) + " " +
           std::string(counterexamples::action_name(step.action));
}

// Empty when the run reproduces the recorded trace; else how it diverges.
std::string replay_trace(const model::BindModel& model, const RecordedTrace& recorded) {
    counterexamples::Trace trace;
    model::World world = model.initial();
    for (std::size_t k = 0; k < recorded.steps.size(); ++k) {
        const RecordedStep& r = recorded.steps[k];
        const std::string where = "at step " + std::to_string(k + 1) + " (" + step_words(model, r.step) + ")";
        counterexamples::TraceStep step{r.step, world, {}};
        if (!model.apply(world, r.step, step.events)) return where + " is not enabled in the state the trace reaches";
        const Json& expected = *r.events;
        for (std::size_t e = 0; e < std::max(expected.size(), step.events.size()); ++e) {
            const Json got = e < step.events.size()
                                 ? Json::parse(counterexamples::event_json(model, step.events[e]).dump())
                                 : Json();
            const Json want = e < expected.size() ? expected[e] : Json();
            if (got == want) continue;
            const auto text = [](const Json& j) {
                return j.is_null() ? std::string("no event") : j.dump(-1, ' ', false, Json::error_handler_t::replace);
            };
            return where + ": event " + std::to_string(e + 1) + " differs: expected " + text(want) + ", got " +
                   text(got);
        }
        trace.steps.push_back(std::move(step));
    }
    trace.final = std::move(world);
    const auto violation = counterexamples::judge_end(model, trace, *recorded.property);
    const std::string end = "after step " + std::to_string(recorded.steps.size());
    if (!violation) return end + ": " + std::string(recorded.property->name()) + " is not violated";
    if (violation->reason != recorded.reason || violation->event != recorded.event)
        return end + ": the violation differs: expected \"" + recorded.reason + "\", got \"" + violation->reason + "\"";
    return {};
}

// "LINE:COL" of a byte offset (nlohmann counts the offending byte, 1-based).
std::string line_column(const std::string& text, std::size_t byte) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return std::to_string(line) + ":" + std::to_string(column);
}

// nlohmann's message without its "[json.exception...] parse error at line L, column C: " prefix.
std::string parse_message(const std::string& what) {
    std::string message = what;
    if (auto at = message.find("] "); at != std::string::npos) message.erase(0, at + 2);
    if (auto colon = message.find(": "); message.rfind("parse error", 0) == 0 && colon != std::string::npos)
        message.erase(0, colon + 2);
    return message;
}

} // namespace

int replay_command(const ReplayOptions& options, std::ostream& out, std::ostream& err) {
    const std::string& file = options.trace_path;
    std::string read_error;
    const auto text = read_file(file, read_error);
    if (!text) {
        err << file << ": error: cannot read file: " << read_error << "\n";
        return kBadInput;
    }
    Json doc;
    try {
        doc = Json::parse(*text);
    } catch (const Json::parse_error& e) {
        err << file << ":" << line_column(*text, e.byte) << ": error: not JSON: " << parse_message(e.what()) << "\n";
        return kBadInput;
    }

    std::unique_ptr<model::BindModel> model;
    std::vector<RecordedTrace> traces;
    std::string scenario_path;
    try {
        if (string_field(doc, "", "format") != counterexamples::kTraceJsonFormat)
            throw Malformed{"format: not a bindcheck trace (expected \"" +
                            std::string(counterexamples::kTraceJsonFormat) + "\")"};
        const std::uint64_t version = unsigned_field(doc, "", "version", UINT32_MAX);
        if (version != counterexamples::kTraceJsonVersion)
            throw Malformed{"trace format version " + std::to_string(version) +
                            " is not supported (this bindcheck reads version " +
                            std::to_string(counterexamples::kTraceJsonVersion) + ")"};
        const Json& scenario = member(doc, "", "scenario");
        const std::string recorded_path = string_field(scenario, "scenario", "path");
        const std::string recorded_hash = string_field(scenario, "scenario", "xxh3_64");
        model::Variant variant = read_variant(doc);
        const std::string granularity = string_field(doc, "", "granularity");
        if (granularity != "devres" && granularity != "call")
            throw Malformed{"granularity: expected \"devres\" or \"call\", got \"" + granularity + "\""};

        scenario_path = options.scenario_path.empty() ? recorded_path : options.scenario_path;
        const auto scenario_text = read_file(scenario_path, read_error);
        if (!scenario_text) {
            err << scenario_path << ": error: cannot read file: " << read_error << "\n";
            return kBadInput;
        }
        if (counterexamples::scenario_hash(*scenario_text) != recorded_hash) {
            out << file << ": the run diverges: " << scenario_path
                << " is not the scenario text the trace was recorded on (xxh3_64 "
                << counterexamples::scenario_hash(*scenario_text) << ", recorded " << recorded_hash << ")\n";
            return kViolation;
        }
        model::ParseResult parsed = model::parse_scenario(*scenario_text, scenario_path);
        if (auto* diagnostic = std::get_if<model::Diagnostic>(&parsed)) {
            err << diagnostic->to_string() << "\n";
            return kBadInput;
        }
        model = std::make_unique<model::BindModel>(std::get<model::Scenario>(std::move(parsed)), std::move(variant),
                                                   granularity == "call" ? model::Granularity::Call
                                                                         : model::Granularity::Devres);
        traces = read_traces(doc, *model);
    } catch (const Malformed& e) {
        err << file << ": error: " << e.message << "\n";
        return kBadInput;
    }

    if (!options.property.empty()) {
        std::string recorded;
        std::erase_if(traces, [&](const RecordedTrace& t) {
            recorded += (recorded.empty() ? "" : ", ") + std::string(t.property->name());
            return t.property->name() != options.property;
        });
        if (traces.empty()) {
            err << file << ": error: no trace of property '" << options.property
                << "' (recorded: " << (recorded.empty() ? "none" : recorded) << ")\n";
            return kBadInput;
        }
    }
    if (traces.empty()) {
        out << file << ": no trace recorded (no property was violated): nothing to replay\n";
        return kAllHold;
    }

    int code = kAllHold;
    for (const RecordedTrace& trace : traces) {
        const std::string name(trace.property->name());
        const std::string divergence = replay_trace(*model, trace);
        if (divergence.empty()) {
            out << file << ": " << name << " (" << trace.property->invariant() << ") reproduced in "
                << trace.steps.size() << " steps under " << model->variant().name << ", granularity "
                << (model->granularity() == model::Granularity::Call ? "call" : "devres") << "\n";
        } else {
            out << file << ": " << name << ": the run diverges " << divergence << "\n";
            code = kViolation;
        }
    }
    return code;
}

} // namespace bindcheck::cli
