// Proof objects (proofs/<snapshot id>/<id>): sealed JSON beside the snapshots, named by the
// SHA-256 of the stored bytes like them, and sealed with the snapshot's id in the
// associated data, so a proof copied under another snapshot does not open.
#pragma once

#include "repository/object_id.hpp"
#include "repository/object_names.hpp"
#include "repository/proof.hpp"
#include "repository/repository.hpp"

#include <span>
#include <string>
#include <vector>

namespace holdfast::repository {

// Seals and stores the proof under its snapshot (proof.snapshot); returns its id. One
// atomic put (put-if-absent where the storage offers it): never a half-written proof.
object_id save_proof(repo& repository, const proof& doc);

// Throws corruption_error naming the object if it is damaged, truncated, moved under
// another snapshot, or names another snapshot inside.
proof load_proof(const repo& repository, const object_id& snapshot, const object_id& id);

// The keys of the proofs of `snapshot` (one listing of proofs/<snapshot>/), or of every
// snapshot (one listing of proofs/). Keys of another form are skipped.
std::vector<names::proof_name> list_proof_names(const repo& repository, const object_id& snapshot);
std::vector<names::proof_name> list_all_proof_names(const repo& repository);

struct listed_proof {
    object_id id;
    proof doc;  // doc.snapshot is the snapshot it belongs to
};

struct proof_listing {
    // Sorted by snapshot, then time (oldest first), then id.
    std::vector<listed_proof> proofs;
    // One line per proof that could not be read (damaged, or deleted while listing): a bad
    // proof must not hide the others.
    std::vector<std::string> unreadable;

    // The proofs of one snapshot, oldest first; empty when it has none.
    std::span<const listed_proof> of(const object_id& snapshot) const;
};

// Every proof of `snapshot`, or of every snapshot: one storage listing either way, then
// one read per proof.
proof_listing list_proofs(const repo& repository, const object_id& snapshot);
proof_listing list_all_proofs(const repo& repository);

// Deletes the listed proofs; returns how many.
std::size_t remove_proofs(repo& repository, std::span<const names::proof_name> proofs);

}  // namespace holdfast::repository
