// One key slot (keys/<id>): the master key wrapped with AES-256-GCM under a key derived from
// a password by scrypt. Several slots can open one repository.
#pragma once

#include "repository/crypto.hpp"
#include "repository/local_identity.hpp"
#include "repository/master_key.hpp"
#include "repository/object_id.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace holdfast::repository {

struct key_slot_info {
    object_id id;  // SHA-256 of the slot's bytes, its name under keys/
    std::string created;
    std::string host;
    std::string user;
    scrypt_params kdf;
};

// The slot document for `key` under `password`, bound to the repository id (the slot's
// associated data), with a fresh random salt.
std::string make_key_slot(const master_key& key, std::string_view password,
                          const object_id& repository_id, const scrypt_params& kdf,
                          const local_identity& who);

// The slot's public fields; throws corruption_error naming keys/<id> if it is malformed.
key_slot_info parse_key_slot(const object_id& slot_id, std::string_view json);

// The master key if `password` opens the slot, nullopt if it does not (wrong password, or a
// slot of another repository). Throws corruption_error for a malformed slot and
// crypto_error when its scrypt parameters ask for more than `max_memory`.
std::optional<master_key> open_key_slot(const object_id& slot_id, std::string_view json,
                                        std::string_view password, const object_id& repository_id,
                                        std::uint64_t max_memory = scrypt_default_max_memory);

}  // namespace holdfast::repository
