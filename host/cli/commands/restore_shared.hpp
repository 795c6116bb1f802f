// What `holdfast restore` with a snapshot and without one (restore_without_snapshot.hpp)
// share: the options the host adds for every engine, and how the engine's report is shown
// (clone shows its report the same way).
#pragma once

#include "cli/command.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

namespace holdfast::cli {

// The engine's own options plus the two every engine reads the same way, which the host
// therefore defines itself: --no-keep-previous ("keep_previous": false) and --dry-run
// ("dry_run": true). Only what was asked for, since an engine refuses keys it does not
// know (exec takes dry_run alone).
std::string restore_options(nlohmann::json engine_options, const po::variables_map& vm);

// The engine's report as JSON; a report that is not JSON is kept as one string.
nlohmann::json parse_report(const std::string& text);

// A report object for people: "  key: value" per scalar member, nested objects and lists
// of objects indented beneath their key (YAML-like).
void print_report(std::ostream& out, const nlohmann::json& report);

}  // namespace holdfast::cli
