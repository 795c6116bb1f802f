// Where each kind of object lives in storage (docs/repository-format.md, "Objects").
#pragma once

#include "repository/object_id.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace holdfast::repository::names {

inline constexpr std::string_view config = "config";
inline constexpr std::string_view keys_prefix = "keys/";
inline constexpr std::string_view data_prefix = "data/";
inline constexpr std::string_view index_prefix = "index/";
inline constexpr std::string_view snapshots_prefix = "snapshots/";
inline constexpr std::string_view locks_prefix = "locks/";
inline constexpr std::string_view proofs_prefix = "proofs/";

inline std::string key_slot(const object_id& id) { return std::string(keys_prefix) + id.hex(); }
inline std::string index(const object_id& id) { return std::string(index_prefix) + id.hex(); }
inline std::string snapshot(const object_id& id) {
    return std::string(snapshots_prefix) + id.hex();
}
inline std::string lock(const object_id& id) { return std::string(locks_prefix) + id.hex(); }
// Proofs live under their snapshot's id, so one snapshot's proofs are one listing and
// forgetting a snapshot finds them without reading any.
inline std::string proofs_of(const object_id& snapshot) {
    return std::string(proofs_prefix) + snapshot.hex() + "/";
}
inline std::string proof(const object_id& snapshot, const object_id& id) { return proofs_of(snapshot) + id.hex(); }
// Packs are spread over 256 directories so no listing or directory gets huge.
inline std::string pack(const object_id& id) {
    const std::string hex = id.hex();
    return std::string(data_prefix) + hex.substr(0, 2) + "/" + hex;
}

// The id in an object key listed under `prefix` ("keys/<id>"); nullopt for anything else
// (foreign files, temporary names), which callers skip.
std::optional<object_id> id_under(std::string_view prefix, std::string_view key);
// The id of a pack key "data/<2 hex>/<id>" whose directory matches the id.
std::optional<object_id> pack_id(std::string_view key);

// "proofs/<snapshot id>/<proof id>", both canonical; nullopt for anything else.
struct proof_name {
    object_id snapshot;
    object_id id;
};
std::optional<proof_name> proof_key(std::string_view key);

}  // namespace holdfast::repository::names
