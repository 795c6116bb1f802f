// Running pg_restore on an archive that arrives as a byte stream (a snapshot's stream, or
// pg_dump's output for a clone). One job reads it on stdin as it comes; several jobs go
// through parallel_restore.hpp.
#pragma once

#include "client_commands.hpp"
#include "custom_archive.hpp"

#include <holdfast/plugin/common.hpp>

#include <cstdint>

namespace holdfast::engines::postgresql {

// Fills the buffer with the next bytes of the archive; 0 at its end.
using archive_reader = archive_source;

struct feed_result {
    std::uint64_t bytes = 0;
    std::uint64_t spooled_bytes = 0;  // 0 when streamed
};

// Throws plugin::error with pg_restore's last lines when it fails, HF_ERR_CANCELLED when
// the host says stop (pg_restore is killed first).
feed_result feed_pg_restore(const client_tools& tools, const endpoint& database, const restore_selection& selection,
                            const archive_reader& read, holdfast::plugin::host_services host);

}  // namespace holdfast::engines::postgresql
