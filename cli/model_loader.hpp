#pragma once
// Turns the model options of a command into a BindModel, or a one-line error.

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "model/bind_model.hpp"

namespace bindcheck::cli {

/// The variant a spec names with the --set overrides applied after its
/// own; nullopt after "bindcheck: error: ..." on err.
[[nodiscard]] std::optional<model::Variant> load_variant(const std::string& spec,
                                                         const std::vector<std::string>& overrides,
                                                         std::ostream& err);

[[nodiscard]] std::optional<model::Granularity> granularity_named(const std::string& name);

/// Null after writing "FILE:LINE:COL: error: ..." or "bindcheck: error: ..." to err.
[[nodiscard]] std::unique_ptr<model::BindModel> load_model(const ModelOptions& options, std::ostream& err);

} // namespace bindcheck::cli
