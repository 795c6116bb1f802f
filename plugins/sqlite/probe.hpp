// Probe: is the database there, can SQLite read it, what does it look like.
#pragma once

#include <filesystem>
#include <string>

namespace holdfast::engines::sqlite {

// {"reachable", "path", "size", "sqlite_version", "page_size", "page_count",
//  "journal_mode", "readable", "error"?}. Never throws for a missing or
// unreadable database: that is what the report says.
std::string probe_database(const std::filesystem::path& path);

}  // namespace holdfast::engines::sqlite
