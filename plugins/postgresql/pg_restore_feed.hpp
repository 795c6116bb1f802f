// Running pg_restore on an archive that arrives as a byte stream (a snapshot's stream, or
// pg_dump's output for a clone). One job reads it on stdin as it comes; several jobs go
// through parallel_restore.hpp.
#pragma once

#include "client_commands.hpp"
#include "custom_archive.hpp"
#include "metadata.hpp"

#include <holdfast/plugin/common.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace holdfast::engines::postgresql {

// Fills the buffer with the next bytes of the archive; 0 at its end.
using archive_reader = archive_source;

// Reads bytes [begin, end) of the archive on a handle of its own (to the archive's end when
// `end` is nullopt); 0 at `end`. Throws when the archive ends before `end`.
using archive_range_opener = std::function<archive_source(std::uint64_t begin, std::optional<std::uint64_t> end)>;

// An archive to restore.
struct archive_input {
    archive_reader read;  // from start to end
    // Optional, for a snapshot's stream that the host can seek in: table data blocks the
    // backup located (metadata), which a parallel restore reads on their own, largest first.
    archive_range_opener open_range;
    std::vector<archive_block_record> table_blocks;
};

struct feed_result {
    std::uint64_t bytes = 0;
    std::uint64_t spooled_bytes = 0;  // 0 when streamed
    std::uint64_t tables_read_directly = 0;  // table data blocks read on their own, not spooled
    std::uint64_t built_beside_data = 0;     // indexes and constraints built while tables were copied
};

// Throws plugin::error with pg_restore's last lines when it fails, HF_ERR_CANCELLED when
// the host says stop (pg_restore is killed first).
feed_result feed_pg_restore(const client_tools& tools, const endpoint& database, const restore_selection& selection,
                            const archive_input& input, holdfast::plugin::host_services host);

}  // namespace holdfast::engines::postgresql
