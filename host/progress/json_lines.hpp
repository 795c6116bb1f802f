// The --json output of commands that show progress: one JSON object per line on stdout,
// {"type": "progress", ...} while the command runs and {"type": "result", ...} at the end
// (docs/cli.md, "Progress").
#pragma once

#include "progress/format.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace holdfast::progress {

nlohmann::ordered_json progress_json(const progress_state& state);

// Writes `result` with "type": "result" first, as one line, and flushes.
void print_result(std::ostream& out, const nlohmann::ordered_json& result);

}  // namespace holdfast::progress
