#include "properties/naming.hpp"

namespace bindcheck::properties {

using namespace model;

std::string driver_name(const Scenario& s, int driver) {
    if (driver < 0 || static_cast<std::size_t>(driver) >= s.drivers.size()) return "?";
    return s.drivers[static_cast<std::size_t>(driver)].name;
}

std::string device_name(const Scenario& s, int device) {
    if (device < 0 || static_cast<std::size_t>(device) >= s.devices.size()) return "?";
    return s.devices[static_cast<std::size_t>(device)].name;
}

std::string resource_name(const Scenario& s, int resource) {
    if (resource < 0 || static_cast<std::size_t>(resource) >= s.resources.size()) return "?";
    return s.resources[static_cast<std::size_t>(resource)].name;
}

int resource_owner(const Scenario& s, int resource) {
    return s.resources.at(static_cast<std::size_t>(resource)).driver;
}

std::string group_description(const Scenario& s, const Node& open) {
    switch (open.creator) {
    case GroupCreator::DT1: return "the master group of " + s.masters.at(open.creator_object).name + " (DT1)";
    case GroupCreator::DT3:
        return "the parent-side bind group of " + s.components.at(open.creator_object).name + " (DT3)";
    case GroupCreator::DT4: return "the bind group of " + s.components.at(open.creator_object).name + " (DT4)";
    case GroupCreator::Driver: break;
    }
    if (open.id.kind == GroupIdKind::Named) return "driver group " + s.group_ids.at(open.id.value);
    return "a driver's NULL-id group";
}

std::string context_description(const Scenario& s, Context c) {
    switch (c.kind) {
    case Context::Plain: return "its own path";
    case Context::MasterBind: return "the bind of master " + s.masters.at(c.object).name;
    case Context::ComponentBind: return "the bind of component " + s.components.at(c.object).name;
    }
    return "?";
}

std::string_view touch_point_name(TouchPoint t) {
    switch (t) {
    case TouchPoint::Driver: return "driver";
    case TouchPoint::DT0: return "DT0";
    case TouchPoint::DT1: return "DT1";
    case TouchPoint::DT2: return "DT2";
    case TouchPoint::DT3: return "DT3";
    case TouchPoint::DT4: return "DT4";
    case TouchPoint::DT5: return "DT5";
    case TouchPoint::DT6: return "DT6";
    case TouchPoint::DT7: return "DT7";
    case TouchPoint::DT8: return "DT8";
    case TouchPoint::DT9: return "DT9";
    case TouchPoint::DT10: return "DT10";
    case TouchPoint::DT11: return "DT11";
    case TouchPoint::PostBindClose: return "post-bind close";
    case TouchPoint::ProbeFailure: return "probe failure";
    case TouchPoint::DriverDetach: return "driver detach";
    case TouchPoint::DeviceUnregister: return "device unregister";
    }
    return "?";
}

std::string_view warn_description(WarnKind w) {
    switch (w) {
    case WarnKind::GroupNotFound: return "devres group not found";
    case WarnKind::UnbindUnbound: return "component_unbind of a component that is not bound";
    case WarnKind::ComponentDelNotFound: return "component_del of an unregistered component";
    case WarnKind::ResourcesPresentBeforeProbing: return "Resources present before probing";
    case WarnKind::DevmFreeNotFound: return "devres_release found no such resource";
    case WarnKind::TypedSubcomponentZero: return "component_add_typed with subcomponent 0";
    case WarnKind::DuplicateRegistration: return "a component or master registered twice";
    }
    return "?";
}

std::string_view bug_description(BugKind b) {
    switch (b) {
    case BugKind::CloseClosedGroup: return "devres_close_group by id on a closed group links its marker twice";
    case BugKind::NullComponentUnbind: return "a match entry without a component is dereferenced";
    }
    return "?";
}

bool is_release_all(TouchPoint t) {
    return t == TouchPoint::ProbeFailure || t == TouchPoint::DriverDetach || t == TouchPoint::DeviceUnregister;
}

bool is_framework_touch(TouchPoint t) { return t >= TouchPoint::DT0 && t <= TouchPoint::PostBindClose; }

std::string errno_name(int value) {
    switch (value) {
    case kEINVAL: return "-EINVAL";
    case kENOMEM: return "-ENOMEM";
    case kENODEV: return "-ENODEV";
    case kEBUSY: return "-EBUSY";
    case kEIO: return "-EIO";
    case kEPROBE_DEFER: return "-EPROBE_DEFER";
    default: return std::to_string(value);
    }
}

} // namespace bindcheck::properties
