// What the parts of `check` share while it runs (check.cpp runs them in order). Internal
// to host/maintenance.
#pragma once

#include "maintenance/blob_id_set.hpp"
#include "maintenance/check.hpp"
#include "maintenance/pack_inventory.hpp"
#include "repository/object_id.hpp"
#include "repository/repository.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace holdfast::maintenance::detail {

// What the indexes say about one pack: a few dozen bytes, however many blobs it holds.
struct indexed_pack_info {
    repository::object_id index;   // the first index object that lists it
    repository::object_id digest;  // records_digest of its records
    std::uint64_t size = 0;        // expected_pack_size of its records
};

struct check_state {
    repository::repo& repo;
    const check_options& options;
    const check_output& output;
    check_report report;

    std::vector<repository::object_id> readable_indexes;
    std::unordered_map<repository::object_id, indexed_pack_info, repository::object_id_hash> indexed;
    pack_inventory inventory;
    // Packs the index lists that storage lacks (or holds with the wrong size), and blobs
    // read_data found damaged: snapshots using them are reported as affected.
    std::unordered_set<repository::object_id, repository::object_id_hash> bad_packs;
    blob_id_set damaged_blobs;
    blob_id_set deltas_checked;  // delta blobs whose bases were looked up already
    blob_id_set broken_deltas;   // of those, the ones with a base missing, of the wrong type or unavailable
    // Every snapshot listed, readable or not: proofs of others are orphans.
    std::unordered_set<repository::object_id, repository::object_id_hash> snapshot_ids;

    void problem(const std::string& line);
    void note(const std::string& line);
    void warning(const std::string& line);
};

// A library message without its "; run 'holdfast check ...'" advice, which is noise in
// check's own report.
std::string without_check_advice(std::string_view message);

// The parts, in the order run_check calls them.
void check_config(check_state& state);
void check_key_slots(check_state& state);
void check_indexes(check_state& state);
void check_packs_exist(check_state& state);
void check_pack_data(check_state& state);
void check_snapshots(check_state& state);
void check_proofs(check_state& state);

// Throws holdfast::error (exit 130) once a stop was requested.
void stop_if_cancelled();

}  // namespace holdfast::maintenance::detail
