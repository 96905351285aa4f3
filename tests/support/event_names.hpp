#pragma once
// Short, stable names of WARN and BUG kinds for the event strings the model
// tests compare against.

#include "model/event.hpp"

namespace bindcheck::testing {

inline const char* warn_name(model::WarnKind kind) {
    switch (kind) {
    case model::WarnKind::GroupNotFound: return "GroupNotFound";
    case model::WarnKind::UnbindUnbound: return "UnbindUnbound";
    case model::WarnKind::ComponentDelNotFound: return "ComponentDelNotFound";
    case model::WarnKind::ResourcesPresentBeforeProbing: return "ResourcesPresentBeforeProbing";
    case model::WarnKind::DevmFreeNotFound: return "DevmFreeNotFound";
    case model::WarnKind::TypedSubcomponentZero: return "TypedSubcomponentZero";
    case model::WarnKind::DuplicateRegistration: return "DuplicateRegistration";
    }
    return "?warn";
}

inline const char* bug_name(model::BugKind kind) {
    switch (kind) {
    case model::BugKind::CloseClosedGroup: return "CloseClosedGroup";
    case model::BugKind::NullComponentUnbind: return "NullComponentUnbind";
    }
    return "?bug";
}

} // namespace bindcheck::testing
