// `holdfast check`: verifies a repository and reports every problem as one line naming the
// object, without stopping at the first. What is checked:
//
// - the config parses; every key slot matches its name and parses;
// - every index object matches its name, authenticates and decodes;
// - every pack an index lists exists with exactly the size its records imply (one listing
//   of data/, no reads); two indexes do not describe one pack differently;
// - every snapshot matches its name, authenticates and decodes, and every blob it uses
//   (content lists included) is in the index, of the right type, in a pack that exists,
//   adding up to the stream's size;
// - every restore-test proof matches its name, authenticates and decodes; one whose
//   snapshot no longer exists is a warning, not a problem (a drill that finished while
//   forget removed its snapshot; the next forget removes it);
// - with read_data, every pack (or a subset) is read once: its SHA-256 must equal its name,
//   its header must match its index entry, and every blob must decode (authentication,
//   size, id).
//
// Packs no index lists are noted, not counted as problems: a backup that was killed (or is
// still running) leaves them, and the next backup reuses them or prune removes them.
//
// Memory: the in-memory index of the readable indexes (as every command that reads data
// needs), a few bytes per pack, one snapshot document and, with read_data, one pack.
#pragma once

#include "repository/repository.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace holdfast::maintenance {

struct check_options {
    bool read_data = false;
    // With read_data: the share of packs to read, in (0, 1]; nullopt reads all of them.
    std::optional<double> subset{};
    // Chooses the subset: the same seed picks the same packs. The CLI draws one per run.
    std::uint64_t subset_seed = 0;
};

struct check_report {
    std::uint64_t problems = 0;
    std::uint64_t unreferenced_packs = 0;
    std::size_t key_slots = 0;
    std::size_t indexes = 0;
    std::size_t packs = 0;  // listed in data/
    std::size_t snapshots = 0;
    std::size_t proofs = 0;
    std::size_t orphan_proofs = 0;  // their snapshot is gone: warnings
    std::size_t blobs = 0;  // in the readable indexes
    std::size_t packs_read = 0;
    std::uint64_t bytes_read = 0;

    bool clean() const noexcept { return problems == 0; }
};

struct check_output {
    std::function<void(const std::string&)> problem{};  // one line naming the object
    std::function<void(const std::string&)> note{};     // unreferenced packs, not problems
    std::function<void(const std::string&)> warning{};  // orphan proofs, not problems
};

// Replaces `repository`'s in-memory index with the union of its readable indexes. Throws
// only for failures of the storage itself (or an interruption); damage is reported.
check_report run_check(repository::repo& repository, const check_options& options,
                       const check_output& output);

}  // namespace holdfast::maintenance
