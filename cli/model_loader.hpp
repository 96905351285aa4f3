#pragma once
// Turns the model options of a command into a BindModel, or a one-line error.

#include <iosfwd>
#include <memory>

#include "cli/commands.hpp"
#include "model/bind_model.hpp"

namespace bindcheck::cli {

/// Null after writing "FILE:LINE:COL: error: ..." or "bindcheck: error: ..." to err.
[[nodiscard]] std::unique_ptr<model::BindModel> load_model(const ModelOptions& options, std::ostream& err);

} // namespace bindcheck::cli
