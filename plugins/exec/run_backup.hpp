// Backup: run the backup command and store its stdout as one stream, written
// into the sink as it is read.
#pragma once

#include "settings.hpp"

#include <holdfast/plugin/engine.hpp>

#include <string_view>

namespace holdfast::engines::exec {

// Options: {} (unknown keys are an error).
void run_backup(const settings& config, std::string_view options_json, holdfast::plugin::backup_sink& sink,
                const holdfast::plugin::host_services& host);

}  // namespace holdfast::engines::exec
