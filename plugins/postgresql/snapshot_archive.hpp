// A database's archive in a snapshot, as a restore reads it (pg_restore_feed.hpp): the
// stream from start to end and, when the host can seek in it (ABI 1.2) and the backup
// located the tables' data blocks (metadata), byte ranges of it on handles of their own.
#pragma once

#include "metadata.hpp"
#include "pg_restore_feed.hpp"

#include <holdfast/plugin/engine.hpp>

namespace holdfast::engines::postgresql {

class snapshot_archive {
public:
    // `source` must outlive the archive and every reader it hands out.
    snapshot_archive(const holdfast::plugin::restore_source& source, const database_record& record);
    snapshot_archive(const snapshot_archive&) = delete;
    snapshot_archive& operator=(const snapshot_archive&) = delete;

    const archive_input& input() const noexcept { return input_; }

private:
    holdfast::plugin::input_stream stream_;
    archive_input input_;
};

}  // namespace holdfast::engines::postgresql
