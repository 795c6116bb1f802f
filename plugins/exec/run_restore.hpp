// Restore: pipe the stream into the restore command's stdin.
#pragma once

#include "settings.hpp"

#include <holdfast/plugin/engine.hpp>

#include <string>
#include <string_view>

namespace holdfast::engines::exec {

// Options: {"dry_run": bool}. Returns the JSON report.
std::string run_restore(const settings& config, std::string_view options_json,
                        holdfast::plugin::restore_source& source, const holdfast::plugin::host_services& host);

}  // namespace holdfast::engines::exec
