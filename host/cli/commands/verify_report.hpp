// How `holdfast verify --restore-test` describes an engine's verify report to people: the
// one-line summary a proof records, and the engine's own lines (one per database where the
// report has them). Engines shape their reports differently (docs/engines/); what is not
// understood is shown as it came, `key: value`.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace holdfast::cli {

// One line: for a passed drill what was checked ("restored and checked: 2 databases, 40
// tables, 1200 rows as recorded"), for a failed one the engine's own reason.
std::string drill_summary(const nlohmann::json& report, bool passed, const std::string& failure);

// The report as lines to indent under the verdict.
std::vector<std::string> report_lines(const nlohmann::json& report);

}  // namespace holdfast::cli
