// Restore drills: prove a snapshot restores by restoring every database into a scratch
// database on the source's server, comparing each table's row count with the metadata,
// checking extensions and roles, and dropping the scratch database again.
#pragma once

#include "settings.hpp"

#include <holdfast/plugin/engine.hpp>

namespace holdfast::engines::postgresql {

holdfast::plugin::verify_result run_verify(const settings& config, std::string_view options_json,
                                           holdfast::plugin::restore_source& source,
                                           holdfast::plugin::host_services host);

}  // namespace holdfast::engines::postgresql
