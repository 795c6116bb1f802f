// pg_restore --jobs N of an archive that arrives as a stream. pg_restore needs a seekable
// file to work in parallel, so the archive is spooled to a temporary file ($TMPDIR); so as
// not to wait for the whole spool, a restore of a whole archive runs in steps while the
// file is written (custom_archive.hpp finds the steps' boundaries):
//   1. once the table of contents has arrived: the pre-data section (types, tables,
//      functions, ...), from the TOC alone;
//   2. table data, N pg_restore at a time, each fed the TOC and its blocks on stdin. When
//      the input can read byte ranges (a snapshot's stream the host can seek in, whose
//      backup located each table's data block), the blocks of 1 MiB and more are read on
//      their own, largest first, as pg_restore -j orders them, and never spooled; the rest
//      (and everything when ranges cannot be read) as soon as its block has arrived in the
//      spool, small tables in batches;
//      A table's own indexes and constraints (not foreign keys) are built as soon as its
//      data is in, while other tables are still being copied, as pg_restore -j does;
//   3. once the spool is complete: everything else (sequence values, large objects,
//      indexes, constraints, triggers, ...) by one pg_restore --jobs N from the file.
// Every step is pg_restore itself, so what is restored, and how, is pg_restore's. Selective
// restores, and archives whose framing is not understood, are spooled whole and restored by
// one pg_restore --jobs N.
#pragma once

#include "client_commands.hpp"
#include "pg_restore_feed.hpp"

#include <holdfast/plugin/common.hpp>

namespace holdfast::engines::postgresql {

// selection.jobs > 1. Throws like feed_pg_restore; on any failure or cancellation every
// pg_restore is stopped and the spool is removed before it returns.
feed_result restore_in_parallel(const client_tools& tools, const endpoint& database, const restore_selection& selection,
                                const archive_input& input, holdfast::plugin::host_services host);

}  // namespace holdfast::engines::postgresql
