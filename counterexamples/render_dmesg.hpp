#pragma once
// A counterexample as the kernel log a reviewer would have captured with
// CONFIG_DEBUG_DEVRES and devres.log=1 (spec 1.7): the DEVRES ADD/REM/REL
// lines with symbolic pointers, the WARN and BUG reports, the framework's
// and the driver core's error messages, each at the point of the trace
// where it happens. What bindcheck adds (the header, the violation) is on
// lines starting with "# bindcheck:", which the kernel never prints. The
// format is documented in docs/trace-dmesg.md.

#include <string>

#include "counterexamples/render_text.hpp"

namespace bindcheck::counterexamples {

/// `scenario_path` is printed in the header as given.
[[nodiscard]] std::string render_dmesg(const model::BindModel& model, const Counterexample& counterexample,
                                       const std::string& scenario_path);

} // namespace bindcheck::counterexamples
