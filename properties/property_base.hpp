#pragma once
// Shared plumbing of the property files: the descriptive fields, and the
// factories registry.cpp calls.

#include "properties/naming.hpp"
#include "properties/property.hpp"

namespace bindcheck::properties {

class NamedProperty : public Property {
public:
    NamedProperty(PropertyId id, std::string_view name, std::string_view invariant, std::string_view summary)
        : id_(id), name_(name), invariant_(invariant), summary_(summary) {}
    [[nodiscard]] PropertyId id() const override { return id_; }
    [[nodiscard]] std::string_view name() const override { return name_; }
    [[nodiscard]] std::string_view invariant() const override { return invariant_; }
    [[nodiscard]] std::string_view summary() const override { return summary_; }

private:
    PropertyId id_;
    std::string_view name_, invariant_, summary_;
};

/// Whether the event frees a resource (a release callback runs).
[[nodiscard]] inline bool frees_resource(const model::Event& e) {
    return (e.kind == model::EventKind::DevresRelease || e.kind == model::EventKind::DevresRemove) &&
           e.frees_resource && e.node.kind == model::NodeKind::Resource;
}

std::unique_ptr<Property> make_foreign_free();
std::unique_ptr<Property> make_framework_free();
std::unique_ptr<Property> make_use_after_free();
std::unique_ptr<Property> make_bind_scope();
std::unique_ptr<Property> make_open_group();
std::unique_ptr<Property> make_group_provenance();
std::unique_ptr<Property> make_devres_warn();
std::unique_ptr<Property> make_double_release();
std::unique_ptr<Property> make_leak();

} // namespace bindcheck::properties
