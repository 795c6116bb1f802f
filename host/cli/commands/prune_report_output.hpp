// How a prune report is shown: prune prints it, and so does forget --prune.
#pragma once

#include "maintenance/prune.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace holdfast::cli {

void print_prune_report(std::ostream& out, const maintenance::prune_report& report);
nlohmann::ordered_json prune_report_json(const maintenance::prune_report& report);

}  // namespace holdfast::cli
