// `holdfast verify` without a restore test: every stream of a snapshot read back through
// the same verified readers a restore uses, the bytes thrown away. What it proves is that
// the repository still holds the snapshot exactly as it was backed up; not that the engine
// can restore it (that is the restore test's job).
#pragma once

#include "pipeline/snapshot_origin.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace holdfast::pipeline {

struct stream_check {
    std::string name;
    std::uint64_t size = 0;        // as recorded in the snapshot
    std::uint64_t bytes_read = 0;  // verified bytes handed over before any failure
    // The integrity failure (a damaged or missing blob, a size or checksum mismatch) that
    // stopped the stream; nullopt when every byte checked out.
    std::optional<std::string> problem;
};

// Reads each stream of `origin` to its end: every blob authenticated and checked against
// its id, each stream's size and checksum checked at its end. A damaged stream is recorded
// and the next one read. Throws for what is not damage: a storage failure, an interruption.
std::vector<stream_check> check_streams(snapshot_origin& origin);

}  // namespace holdfast::pipeline
