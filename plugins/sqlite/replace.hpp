// The second half of restore: put a checked copy in place of the target
// database, keeping the previous one if asked, without a moment when the
// target name is missing (where the file system supports hard links) and
// without leaving a stale -wal/-journal that SQLite would replay onto the new
// file. docs/engines/sqlite.md explains the order of the steps.
#pragma once

#include "scratch_file.hpp"

#include <filesystem>
#include <optional>
#include <vector>

namespace holdfast::engines::sqlite {

// Refuses (HF_ERR_PRECONDITION) when another process holds a SQLite lock on
// `target`: any open connection in WAL mode, a reader or writer mid-transaction
// in rollback mode. Restoring under a live writer loses its later commits.
void require_not_in_use(const std::filesystem::path& target);

// "<target>.pre-restore-YYYYmmddTHHMMSSZ" for now (UTC), with "-N" appended
// when that name, or its -wal/-journal, is taken.
std::filesystem::path previous_name(const std::filesystem::path& target);

// The -wal, -journal and -shm files present next to `target`.
std::vector<std::filesystem::path> journals_of(const std::filesystem::path& target);

struct replacement {
    std::optional<std::filesystem::path> previous;  // where the old database now is
    std::vector<std::filesystem::path> removed;     // journal files taken away from the target
};

// `copy` must be closed, checked and in the target's directory. On success
// the copy is the target and `copy` is released.
replacement replace_database(scratch_file& copy, const std::filesystem::path& target, bool keep_previous);

}  // namespace holdfast::engines::sqlite
