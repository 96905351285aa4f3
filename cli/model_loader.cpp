#include "cli/model_loader.hpp"

#include <ostream>

#include "model/scenario_parser.hpp"

namespace bindcheck::cli {

std::optional<model::Variant> load_variant(const std::string& spec, const std::vector<std::string>& overrides,
                                           std::ostream& err) {
    auto parsed = model::parse_variant(spec);
    if (auto* error = std::get_if<model::VariantError>(&parsed)) {
        err << "bindcheck: error: " << error->message << "\n";
        return std::nullopt;
    }
    auto& variant = std::get<model::Variant>(parsed);
    for (const std::string& assignment : overrides) {
        if (auto error = model::set_variation_point(variant, assignment)) {
            err << "bindcheck: error: --set " << assignment << ": " << *error << "\n";
            return std::nullopt;
        }
    }
    return std::move(variant);
}

std::optional<model::Granularity> granularity_named(const std::string& name) {
    if (name == "devres") return model::Granularity::Devres;
    if (name == "call") return model::Granularity::Call;
    return std::nullopt;
}

std::unique_ptr<model::BindModel> load_model(const ModelOptions& options, std::ostream& err) {
    auto variant = load_variant(options.variant, options.overrides, err);
    if (!variant) return nullptr;
    model::ParseResult parsed = model::load_scenario(options.scenario_path);
    if (auto* diagnostic = std::get_if<model::Diagnostic>(&parsed)) {
        err << diagnostic->to_string() << "\n";
        return nullptr;
    }
    const auto granularity = granularity_named(options.granularity).value_or(model::Granularity::Devres);
    return std::make_unique<model::BindModel>(std::get<model::Scenario>(std::move(parsed)), *std::move(variant),
                                              granularity);
}

} // namespace bindcheck::cli
