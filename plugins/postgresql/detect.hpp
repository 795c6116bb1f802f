// Finding PostgreSQL data directories under a path (a mounted disk image, a file-level
// backup): a directory holding PG_VERSION and global/pg_control. Reports its major version
// and size; does not descend into a data directory once found.
#pragma once

#include <holdfast/plugin/engine.hpp>

#include <filesystem>

namespace holdfast::engines::postgresql {

void detect_data_directories(const std::filesystem::path& root, const holdfast::plugin::host_services& host,
                             const holdfast::plugin::detect_callback& found);

}  // namespace holdfast::engines::postgresql
