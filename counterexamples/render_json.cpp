#include "counterexamples/render_json.hpp"

#include <cstdio>

#include <xxhash.h>

#include "counterexamples/step_description.hpp"
#include "properties/naming.hpp"

namespace bindcheck::counterexamples {

using namespace model;
using namespace properties;
using Json = nlohmann::ordered_json;

namespace {

std::string_view kind_name(EventKind kind) {
    switch (kind) {
    case EventKind::DevresAdd: return "DevresAdd";
    case EventKind::DevresRemove: return "DevresRemove";
    case EventKind::DevresRelease: return "DevresRelease";
    case EventKind::Warn: return "Warn";
    case EventKind::Bug: return "Bug";
    case EventKind::Use: return "Use";
    case EventKind::DriverFree: return "DriverFree";
    case EventKind::ProbeBegin: return "ProbeBegin";
    case EventKind::ProbeEnd: return "ProbeEnd";
    case EventKind::RemoveBegin: return "RemoveBegin";
    case EventKind::RemoveEnd: return "RemoveEnd";
    case EventKind::ResumeBegin: return "ResumeBegin";
    case EventKind::ResumeEnd: return "ResumeEnd";
    case EventKind::MutexLock: return "MutexLock";
    case EventKind::MutexUnlock: return "MutexUnlock";
    case EventKind::Complete: return "Complete";
    case EventKind::WaitDone: return "WaitDone";
    case EventKind::WaitTimeout: return "WaitTimeout";
    case EventKind::InitCompletion: return "InitCompletion";
    case EventKind::MayFail: return "MayFail";
    case EventKind::OpenGroupFailed: return "OpenGroupFailed";
    case EventKind::MasterRegistered: return "MasterRegistered";
    case EventKind::MasterUnregistered: return "MasterUnregistered";
    case EventKind::ComponentRegistered: return "ComponentRegistered";
    case EventKind::ComponentUnregistered: return "ComponentUnregistered";
    case EventKind::ComponentsFound: return "ComponentsFound";
    case EventKind::ComponentAttached: return "ComponentAttached";
    case EventKind::ComponentDetached: return "ComponentDetached";
    case EventKind::MasterBound: return "MasterBound";
    case EventKind::MasterUnbound: return "MasterUnbound";
    case EventKind::ComponentBound: return "ComponentBound";
    case EventKind::ComponentUnbound: return "ComponentUnbound";
    case EventKind::BindScopeEnd: return "BindScopeEnd";
    case EventKind::KernelMessage: return "KernelMessage";
    }
    return "?";
}

std::string_view warn_name(WarnKind kind) {
    switch (kind) {
    case WarnKind::GroupNotFound: return "GroupNotFound";
    case WarnKind::UnbindUnbound: return "UnbindUnbound";
    case WarnKind::ComponentDelNotFound: return "ComponentDelNotFound";
    case WarnKind::ResourcesPresentBeforeProbing: return "ResourcesPresentBeforeProbing";
    case WarnKind::DevmFreeNotFound: return "DevmFreeNotFound";
    case WarnKind::TypedSubcomponentZero: return "TypedSubcomponentZero";
    case WarnKind::DuplicateRegistration: return "DuplicateRegistration";
    }
    return "?";
}

std::string_view bug_name(BugKind kind) {
    switch (kind) {
    case BugKind::CloseClosedGroup: return "CloseClosedGroup";
    case BugKind::NullComponentUnbind: return "NullComponentUnbind";
    }
    return "?";
}

std::string_view state_name(ResourceState state) {
    switch (state) {
    case ResourceState::Absent: return "absent";
    case ResourceState::Live: return "live";
    case ResourceState::Released: return "released";
    case ResourceState::Freed: return "freed";
    }
    return "?";
}

template <class Items> std::string name_at(const Items& items, int index) {
    if (index < 0 || static_cast<std::size_t>(index) >= items.size()) return "?";
    return items[static_cast<std::size_t>(index)].name;
}

Json name_or_null(const Scenario& s, int index, int kind) {
    if (index < 0) return nullptr;
    switch (kind) {
    case 0: return driver_name(s, index);
    case 1: return device_name(s, index);
    case 2: return name_at(s.masters, index);
    default: return name_at(s.components, index);
    }
}

std::string group_id_text(const Scenario& s, const GroupId& id) {
    switch (id.kind) {
    case GroupIdKind::Self: return "NULL";
    case GroupIdKind::Master: return "master " + name_at(s.masters, id.value);
    case GroupIdKind::Component: return "component " + name_at(s.components, id.value);
    case GroupIdKind::Named:
        return "named " + (id.value < s.group_ids.size() ? s.group_ids[id.value] : std::string("?"));
    }
    return "?";
}

std::string_view creator_name(GroupCreator creator) {
    switch (creator) {
    case GroupCreator::Driver: return "driver";
    case GroupCreator::DT1: return "DT1";
    case GroupCreator::DT3: return "DT3";
    case GroupCreator::DT4: return "DT4";
    }
    return "?";
}

std::string context_text(const Scenario& s, Context c) {
    switch (c.kind) {
    case Context::Plain: return "plain";
    case Context::MasterBind: return "master-bind " + name_at(s.masters, c.object);
    case Context::ComponentBind: return "component-bind " + name_at(s.components, c.object);
    }
    return "?";
}

Json node_json(const Scenario& s, const Node& n) {
    Json j;
    if (n.kind == NodeKind::Resource) {
        j["kind"] = "resource";
        j["resource"] = resource_name(s, n.resource);
        if (n.resource < s.resources.size()) {
            const Resource& r = s.resources[n.resource];
            j["log_name"] = r.log_name();
            j["size"] = r.size;
            j["owner"] = driver_name(s, r.driver);
        }
        j["context"] = context_text(s, n.context);
        if (n.current) j["current"] = true;
        if (n.freed_by_driver) j["freed_by_driver"] = true;
        return j;
    }
    j["kind"] = n.kind == NodeKind::GroupOpen ? "grp<" : "grp>";
    j["tag"] = n.tag;
    if (n.kind == NodeKind::GroupOpen) {
        j["id"] = group_id_text(s, n.id);
        j["creator"] = creator_name(n.creator);
        if (n.creator == GroupCreator::DT1) j["creator_object"] = name_at(s.masters, n.creator_object);
        if (n.creator == GroupCreator::DT3 || n.creator == GroupCreator::DT4)
            j["creator_object"] = name_at(s.components, n.creator_object);
    }
    return j;
}

bool has_node(EventKind kind) {
    return kind == EventKind::DevresAdd || kind == EventKind::DevresRemove || kind == EventKind::DevresRelease ||
           kind == EventKind::Use || kind == EventKind::DriverFree || kind == EventKind::Bug;
}

std::string granularity_name(Granularity g) { return g == Granularity::Call ? "call" : "devres"; }

Json variant_json(const Variant& v) {
    Json j;
    j["name"] = v.name;
    j["preset"] = v.preset;
    j["commit"] = v.commit;
    Json settings = Json::object();
    for (const VariationPoint& point : variation_points())
        settings[std::string(point.name)] = std::string(variation_value(v, point));
    j["settings"] = std::move(settings);
    return j;
}

Json step_json(const BindModel& model, const TraceStep& step, std::size_t number) {
    Json j;
    j["step"] = number;
    j["code"] = model.step_code(step.step);
    j["driver"] = driver_name(model.scenario(), step.step.thread);
    j["action"] = std::string(action_name(step.step.action));
    j["choices"] = step.step.choices;
    j["location"] = step_location(model, step.before, step.step);
    j["does"] = step_action(model, step.before, step.step);
    Json events = Json::array();
    for (const Event& e : step.events) events.push_back(event_json(model, e));
    j["events"] = std::move(events);
    return j;
}

Json trace_json(const BindModel& model, const Counterexample& cx) {
    Json j;
    j["property"] = std::string(cx.property->name());
    j["invariant"] = std::string(cx.property->invariant());
    Json violation;
    violation["reason"] = cx.violation.reason;
    // 1-based within the last step's events; null: the final state violates.
    violation["event"] = cx.violation.event >= 0 ? Json(cx.violation.event + 1) : Json(nullptr);
    j["violation"] = std::move(violation);
    Json steps = Json::array();
    for (std::size_t k = 0; k < cx.trace.steps.size(); ++k) steps.push_back(step_json(model, cx.trace.steps[k], k + 1));
    j["steps"] = std::move(steps);
    return j;
}

} // namespace

std::string_view action_name(Action action) {
    switch (action) {
    case Action::Continue: return "continue";
    case Action::Probe: return "probe";
    case Action::Remove: return "remove";
    case Action::Resume: return "resume";
    }
    return "?";
}

std::string scenario_hash(std::string_view text) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH3_64bits(text.data(), text.size())));
    return hex;
}

Json event_json(const BindModel& model, const Event& e) {
    const Scenario& s = model.scenario();
    const Event defaults;
    Json j;
    j["kind"] = std::string(kind_name(e.kind));
    j["touch"] = std::string(touch_point_name(e.touch));
    j["initiator"] = name_or_null(s, e.thread, 0);
    if (e.code_owner != defaults.code_owner) j["code_owner"] = name_or_null(s, e.code_owner, 0);
    if (e.device != defaults.device) j["device"] = name_or_null(s, e.device, 1);
    if (e.master != defaults.master) j["master"] = name_or_null(s, e.master, 2);
    if (e.component != defaults.component) j["component"] = name_or_null(s, e.component, 3);
    if (has_node(e.kind) && (e.kind != EventKind::Bug || e.bug == BugKind::CloseClosedGroup))
        j["node"] = node_json(s, e.node);
    if (e.frees_resource) j["frees_resource"] = true;
    if (e.null_lookup) j["null_lookup"] = true;
    if (!e.group_found) j["group_found"] = false;
    if (e.selected_group != defaults.selected_group) j["selected_group"] = node_json(s, e.selected_group);
    if (e.intrudes_framework_group) {
        j["intrudes_framework_group"] = true;
        j["intruded_group"] = node_json(s, e.intruded_group);
    }
    if (e.kind == EventKind::Use || e.kind == EventKind::DriverFree)
        j["resource_state"] = std::string(state_name(e.resource_state));
    if (e.kind == EventKind::Warn) j["warn"] = std::string(warn_name(e.warn));
    if (e.kind == EventKind::Bug) j["bug"] = std::string(bug_name(e.bug));
    if (e.value != 0) j["value"] = e.value;
    if (e.open_framework_groups != 0) j["open_framework_groups"] = e.open_framework_groups;
    return j;
}

std::string render_json(const BindModel& model, const TraceSource& source, const std::vector<PropertyVerdict>& verdicts,
                        const std::vector<Counterexample>& counterexamples) {
    Json doc;
    doc["format"] = std::string(kTraceJsonFormat);
    doc["version"] = kTraceJsonVersion;
    doc["scenario"] = Json{{"path", source.scenario_path}, {"xxh3_64", scenario_hash(source.scenario_text)}};
    doc["variant"] = variant_json(model.variant());
    doc["granularity"] = granularity_name(model.granularity());
    Json verdict_list = Json::array();
    for (const PropertyVerdict& v : verdicts)
        verdict_list.push_back(Json{{"property", v.property}, {"verdict", v.verdict}});
    doc["verdicts"] = std::move(verdict_list);
    Json traces = Json::array();
    for (const Counterexample& cx : counterexamples) traces.push_back(trace_json(model, cx));
    doc["traces"] = std::move(traces);
    return doc.dump(2) + "\n";
}

} // namespace bindcheck::counterexamples
