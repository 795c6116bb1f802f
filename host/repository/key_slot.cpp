#include "repository/key_slot.hpp"

#include "repository/base64.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/utc_time.hpp"

#include <nlohmann/json.hpp>

namespace holdfast::repository {

using nlohmann::json;

namespace {

constexpr std::size_t salt_size = 32;

std::vector<std::byte> slot_aad(const object_id& repository_id) {
    const std::string text = "holdfast key slot v1 " + repository_id.hex();
    const auto bytes = std::as_bytes(std::span(text));
    return {bytes.begin(), bytes.end()};
}

struct parsed_slot {
    key_slot_info info;
    std::vector<std::byte> salt;
    std::vector<std::byte> sealed;
};

parsed_slot parse(const object_id& slot_id, std::string_view text) {
    const auto damaged = [&](const std::string& why) {
        return corruption_error("key slot " + names::key_slot(slot_id) + " is damaged: " + why +
                                "; open the repository with another password and remove it "
                                "with 'holdfast key remove'");
    };
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw damaged("not a JSON object");
    parsed_slot slot;
    slot.info.id = slot_id;
    try {
        if (doc.at("version") != 1)
            throw damaged("unsupported version " + doc.at("version").dump());
        slot.info.created = doc.value("created", "");
        slot.info.host = doc.value("host", "");
        slot.info.user = doc.value("user", "");
        const json& kdf = doc.at("kdf");
        if (kdf.at("name") != "scrypt") throw damaged("unknown kdf " + kdf.at("name").dump());
        slot.info.kdf.n = kdf.at("n").get<std::uint64_t>();
        slot.info.kdf.r = kdf.at("r").get<std::uint32_t>();
        slot.info.kdf.p = kdf.at("p").get<std::uint32_t>();
        auto salt = base64_decode(kdf.at("salt").get<std::string>());
        auto sealed = base64_decode(doc.at("sealed_master").get<std::string>());
        if (!salt || salt->size() != salt_size) throw damaged("bad salt");
        if (!sealed || sealed->size() != aes256gcm::sealed_size(master_key::serialized_size))
            throw damaged("bad sealed_master");
        slot.salt = std::move(*salt);
        slot.sealed = std::move(*sealed);
    } catch (const json::exception& e) {
        throw damaged(e.what());
    }
    return slot;
}

}  // namespace

std::string make_key_slot(const master_key& key, std::string_view password,
                          const object_id& repository_id, const scrypt_params& kdf,
                          const local_identity& who) {
    const auto salt = random_bytes(salt_size);
    aes256gcm wrap(scrypt_key(password, salt, kdf));
    const auto material = key.serialize();
    auto sealed = wrap.seal(material.bytes(), slot_aad(repository_id));
    const json doc = {{"version", 1},
                      {"created", format_utc(utc_now())},
                      {"host", who.host},
                      {"user", who.user},
                      {"kdf",
                       {{"name", "scrypt"},
                        {"n", kdf.n},
                        {"r", kdf.r},
                        {"p", kdf.p},
                        {"salt", base64_encode(salt)}}},
                      {"sealed_master", base64_encode(sealed)}};
    return doc.dump(2) + "\n";
}

key_slot_info parse_key_slot(const object_id& slot_id, std::string_view json_text) {
    return parse(slot_id, json_text).info;
}

std::optional<master_key> open_key_slot(const object_id& slot_id, std::string_view json_text,
                                        std::string_view password, const object_id& repository_id,
                                        std::uint64_t max_memory) {
    const parsed_slot slot = parse(slot_id, json_text);
    aes256gcm unwrap(scrypt_key(password, slot.salt, slot.info.kdf, max_memory));
    secret<master_key::serialized_size> material;
    try {
        unwrap.open_into(material.writable_bytes(), slot.sealed, slot_aad(repository_id));
    } catch (const authentication_error&) {
        return std::nullopt;
    }
    return master_key::parse(material.bytes());
}

}  // namespace holdfast::repository
