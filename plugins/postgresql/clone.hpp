// `holdfast clone`: pg_dump of one database piped into pg_restore on the same or another
// server, through the same checks and temporary-database rename as a restore; no repository.
#pragma once

#include "settings.hpp"

#include <holdfast/plugin/common.hpp>

#include <string>
#include <string_view>

namespace holdfast::engines::postgresql {

std::string run_clone(const settings& from, const settings& to, std::string_view options_json,
                      holdfast::plugin::host_services host);

}  // namespace holdfast::engines::postgresql
