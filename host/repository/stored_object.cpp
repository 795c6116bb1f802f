#include "repository/stored_object.hpp"

#include "repository/errors.hpp"
#include "repository/object_names.hpp"

namespace holdfast::repository {

std::vector<object_id> list_object_ids(client::storage_instance& storage, std::string_view prefix) {
    std::vector<object_id> ids;
    storage.list(std::string(prefix), [&](const client::object_info& info) {
        if (auto id = names::id_under(prefix, info.key)) ids.push_back(*id);
    });
    return ids;
}

std::vector<std::byte> read_named_object(client::storage_instance& storage, const std::string& key,
                                         const object_id& id) {
    std::vector<std::byte> bytes;
    try {
        bytes = storage.get(key);
    } catch (const client::plugin_error& e) {
        if (e.code() == HF_ERR_NOT_FOUND)
            throw repository_error("object " + key + " does not exist (deleted meanwhile?)");
        throw;
    }
    if (object_id::of_content(bytes) != id)
        throw corruption_error(key + " is corrupt: its content does not match its name (" +
                               std::to_string(bytes.size()) +
                               " bytes, truncated or altered); run 'holdfast check'");
    return bytes;
}

std::vector<std::byte> read_sealed_object(client::storage_instance& storage, sealer& seal,
                                          const std::string& key, const object_id& id,
                                          std::string_view aad) {
    const auto bytes = read_named_object(storage, key, id);
    try {
        return seal.open(bytes, aad);
    } catch (const authentication_error&) {
        throw corruption_error(key + " is corrupt: it does not authenticate as a " +
                               std::string(aad) + " object; run 'holdfast check'");
    }
}

}  // namespace holdfast::repository
