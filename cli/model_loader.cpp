#include "cli/model_loader.hpp"

#include <ostream>

#include "model/scenario_parser.hpp"

namespace bindcheck::cli {

std::unique_ptr<model::BindModel> load_model(const ModelOptions& options, std::ostream& err) {
    auto variant = model::find_variant(options.variant);
    if (!variant) {
        err << "bindcheck: error: unknown variant '" << options.variant
            << "' (known: V0, V1, V2, V3, V4, v5.15, v5.16, rfc, v6.16, mainline)\n";
        return nullptr;
    }
    model::ParseResult parsed = model::load_scenario(options.scenario_path);
    if (auto* diagnostic = std::get_if<model::Diagnostic>(&parsed)) {
        err << diagnostic->to_string() << "\n";
        return nullptr;
    }
    const auto granularity = options.granularity == "call" ? model::Granularity::Call : model::Granularity::Devres;
    return std::make_unique<model::BindModel>(std::get<model::Scenario>(std::move(parsed)), *variant, granularity);
}

} // namespace bindcheck::cli
