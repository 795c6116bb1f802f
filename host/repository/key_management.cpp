#include "repository/key_management.hpp"

#include "core/error.hpp"
#include "repository/errors.hpp"
#include "repository/local_identity.hpp"
#include "repository/object_names.hpp"
#include "repository/stored_object.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace holdfast::repository {

namespace {

const master_key& require_key(const repo& repository) {
    if (repository.key() == nullptr)
        throw repository_error("the repository at " + repository.location() +
                               " is not encrypted: it has no keys or passwords");
    return *repository.key();
}

std::span<const std::byte> bytes_of(const std::string& text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

}  // namespace

std::vector<key_slot_info> list_key_slots(const repo& repository) {
    require_key(repository);
    std::vector<key_slot_info> slots;
    for (const object_id& id : list_object_ids(repository.storage(), names::keys_prefix)) {
        try {
            const auto bytes = read_named_object(repository.storage(), names::key_slot(id), id);
            slots.push_back(parse_key_slot(
                id, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())));
        } catch (const repository_error& e) {
            spdlog::warn("skipping a key slot: {}", e.what());
        }
    }
    std::sort(slots.begin(), slots.end(), [](const key_slot_info& a, const key_slot_info& b) {
        return a.created != b.created ? a.created < b.created : a.id < b.id;
    });
    return slots;
}

object_id add_key_slot(const repo& repository, std::string_view password, const scrypt_params& kdf) {
    const master_key& key = require_key(repository);
    if (password.empty()) throw usage_error("the new password is empty; choose a non-empty one");
    const std::string doc =
        make_key_slot(key, password, repository.config().id, kdf, local_identity::current());
    const object_id id = object_id::of_content(bytes_of(doc));
    repository.storage().put(names::key_slot(id), bytes_of(doc));
    return id;
}

void remove_key_slot(repo& repository, const object_id& slot, bool allow_current) {
    const auto slots = list_key_slots(repository);
    const bool exists = std::any_of(slots.begin(), slots.end(),
                                    [&](const key_slot_info& s) { return s.id == slot; });
    if (!exists)
        throw usage_error("no key " + slot.hex() + " in the repository at " + repository.location() +
                          " (list them with 'holdfast key list')");
    if (slots.size() == 1)
        throw repository_error("key " + slot.short_hex() +
                               " is the repository's last key: without it nobody could open the "
                               "repository; add another key first with 'holdfast key add'");
    if (repository.key_slot() == slot && !allow_current)
        throw usage_error("key " + slot.short_hex() +
                          " is the one this repository was opened with; use 'holdfast key passwd' "
                          "to change its password, or give --force to remove the key in use");
    repository.storage().remove(names::key_slot(slot));
}

object_id change_password(repo& repository, std::string_view new_password, const scrypt_params& kdf) {
    const std::optional<object_id> old = repository.key_slot();
    const object_id fresh = add_key_slot(repository, new_password, kdf);
    repository.use_key_slot(fresh);
    // The new slot is written and durable before the old one goes: a crash in between
    // leaves both passwords working, never neither.
    if (old) repository.storage().remove(names::key_slot(*old));
    return fresh;
}

object_id resolve_key_slot(const repo& repository, std::string_view prefix) {
    require_key(repository);
    const auto ids = list_object_ids(repository.storage(), names::keys_prefix);
    return resolve_id_prefix(prefix, ids, key_slot_ids);
}

}  // namespace holdfast::repository
