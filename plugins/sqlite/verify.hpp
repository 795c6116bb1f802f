// Verify: restore into a scratch file under $TMPDIR, check it, compare it with
// the snapshot metadata, delete it.
#pragma once

#include <holdfast/plugin/engine.hpp>

#include <string>
#include <string_view>

namespace holdfast::engines::sqlite {

// Options: {} (unknown keys are an error). Returns the JSON report and whether
// the copy passed: a copy that fails restore's checks (checksum, unreadable,
// integrity_check) or differs from the metadata (row counts, schema hash) is a
// failed result, not an exception. Throws plugin::error when the check cannot
// run (bad options, metadata not made by this engine, I/O, cancellation).
holdfast::plugin::verify_result run_verify(std::string_view options_json, holdfast::plugin::restore_source& source,
                       const holdfast::plugin::host_services& host);

}  // namespace holdfast::engines::sqlite
