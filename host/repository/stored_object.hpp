// Whole sealed objects named by the SHA-256 of their stored bytes (index/, snapshots/):
// reading verifies the name first (no key needed: catches truncation and bit rot), then
// authenticates.
#pragma once

#include "repository/object_id.hpp"
#include "repository/sealer.hpp"

#include <holdfast/client/storage.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace holdfast::repository {

// The ids of the objects named "<prefix><64 hex>", in key order; other keys are skipped.
std::vector<object_id> list_object_ids(client::storage_instance& storage, std::string_view prefix);

// The object's bytes, checked against its name. Throws repository_error if it does not
// exist and corruption_error if its content does not match `id`.
std::vector<std::byte> read_named_object(client::storage_instance& storage, const std::string& key,
                                         const object_id& id);

// As read_named_object, then opened with `aad`; throws corruption_error naming `key`.
std::vector<std::byte> read_sealed_object(client::storage_instance& storage, sealer& seal,
                                          const std::string& key, const object_id& id,
                                          std::string_view aad);

}  // namespace holdfast::repository
