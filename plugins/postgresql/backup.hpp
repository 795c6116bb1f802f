// A logical backup: the globals as one stream, then each selected database as a pg_dump
// custom archive streamed straight into the host's pipeline, with the metadata that
// restores are checked against.
#pragma once

#include "backup_options.hpp"
#include "settings.hpp"

#include <holdfast/plugin/engine.hpp>

namespace holdfast::engines::postgresql {

void run_backup(const settings& config, const backup_options& options, holdfast::plugin::backup_sink& sink,
                holdfast::plugin::host_services host);

}  // namespace holdfast::engines::postgresql
