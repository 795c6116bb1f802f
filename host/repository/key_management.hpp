// `holdfast key`: list, add and remove key slots, change a password. Only key slots are
// written or deleted: the master key, and so every other object, never changes.
#pragma once

#include "repository/crypto.hpp"
#include "repository/key_slot.hpp"
#include "repository/object_id.hpp"
#include "repository/repository.hpp"

#include <string_view>
#include <vector>

namespace holdfast::repository {

inline constexpr id_kind key_slot_ids{"key", "holdfast key list"};

// The readable key slots, oldest first (damaged ones are logged and left out).
// Throws repository_error for an unencrypted repository.
std::vector<key_slot_info> list_key_slots(const repo& repository);

// A new slot for `password`; returns its id.
object_id add_key_slot(const repo& repository, std::string_view password,
                       const scrypt_params& kdf = {});

// Removes a slot. Refuses the last readable slot, and the slot the repository was opened
// with unless `allow_current` (the session keeps working: the master key is in memory).
void remove_key_slot(repo& repository, const object_id& slot, bool allow_current = false);

// Adds a slot for `new_password`, then removes the slot in use; the repository uses the new
// slot afterwards. Returns the new slot's id.
object_id change_password(repo& repository, std::string_view new_password,
                          const scrypt_params& kdf = {});

// A full id or unique prefix among the key slots (usage_error otherwise).
object_id resolve_key_slot(const repo& repository, std::string_view prefix);

}  // namespace holdfast::repository
