// A database that exercises what a backup must carry: several tables (one
// WITHOUT ROWID, one with a name that needs quoting), an index, a view, a
// trigger, BLOBs large enough for overflow pages, non-ASCII text, NULLs, REALs.
#pragma once

#include <filesystem>

namespace holdfast::testing {

// Creates the database at `path` (which must not exist); `rows` sets its size.
void make_sample_database(const std::filesystem::path& path, int rows = 500, bool wal = false);

}  // namespace holdfast::testing
