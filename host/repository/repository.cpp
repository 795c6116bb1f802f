#include "repository/repository.hpp"

#include "core/error.hpp"
#include "repository/errors.hpp"
#include "repository/index_file.hpp"
#include "repository/key_slot.hpp"
#include "repository/local_identity.hpp"
#include "repository/object_names.hpp"
#include "repository/pack_reader.hpp"
#include "repository/stored_object.hpp"

#include <spdlog/spdlog.h>

namespace holdfast::repository {

struct repo::state {
    std::shared_ptr<client::storage_instance> storage;
    std::string location;
    repository_config config;
    // Behind a pointer so its address, which the codecs keep, survives moves of the repo.
    std::unique_ptr<const master_key> key;
    std::optional<object_id> slot;
    std::unique_ptr<codec_pool> codecs;
    master_index index;

    state(std::shared_ptr<client::storage_instance> s, std::string where, repository_config c,
          std::unique_ptr<const master_key> k, std::optional<object_id> used_slot)
        : storage(std::move(s)),
          location(std::move(where)),
          config(std::move(c)),
          key(std::move(k)),
          slot(used_slot),
          codecs(std::make_unique<codec_pool>(key.get(), config.parameters.zstd_level)) {}
};

namespace {

std::span<const std::byte> bytes_of(const std::string& text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

std::string as_text(const std::vector<std::byte>& bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

[[noreturn]] void already_exists(const std::string& location) {
    throw repository_error("a repository already exists at " + location +
                           "; use it, or choose another location for a new one");
}

// The master key from the first slot `password` opens, and that slot's id.
std::pair<std::unique_ptr<const master_key>, object_id> unlock(
    client::storage_instance& storage, const std::string& location, const repository_config& config,
    std::string_view password, const open_options& options) {
    const auto slots = list_object_ids(storage, names::keys_prefix);
    if (slots.empty())
        throw repository_error("the repository at " + location +
                               " has no key slots, so it cannot be opened; restore its keys/ "
                               "objects from a copy");
    std::size_t readable = 0;
    for (const object_id& slot : slots) {
        const std::string name = names::key_slot(slot);
        try {
            const auto bytes = read_named_object(storage, name, slot);
            ++readable;
            if (auto key = open_key_slot(slot, as_text(bytes), password, config.id,
                                         options.scrypt_max_memory))
                return {std::make_unique<const master_key>(std::move(*key)), slot};
        } catch (const repository_error& e) {
            // A damaged slot must not keep the others from opening the repository.
            spdlog::warn("skipping a key slot: {}", e.what());
        } catch (const crypto_error& e) {
            spdlog::warn("skipping key slot {}: {}", name, e.what());
        }
    }
    if (readable == 0)
        throw repository_error("no key slot of the repository at " + location +
                               " is readable (see the warnings above); restore keys/ from a copy");
    throw wrong_password_error("wrong password: no key slot of this repository opens with it");
}

}  // namespace

repo::repo(std::unique_ptr<state> s) : state_(std::move(s)) {}
repo::repo(repo&&) noexcept = default;
repo& repo::operator=(repo&&) noexcept = default;
repo::~repo() = default;

repo repo::init(std::shared_ptr<client::storage_instance> storage, std::string location,
                std::string_view password, const init_options& options) {
    const repository_config config = repository_config::create(options.parameters);
    const bool encrypted = config.parameters.encryption == encryption_mode::aes_256_gcm;
    if (encrypted && password.empty())
        throw usage_error("a password is required to create an encrypted repository");
    // Checked first so that a mistaken init fails before the slow key derivation.
    if (storage->stat(std::string(names::config))) already_exists(location);

    std::unique_ptr<const master_key> key;
    std::optional<object_id> slot;
    if (encrypted) {
        key = std::make_unique<const master_key>(master_key::generate());
        const std::string doc =
            make_key_slot(*key, password, config.id, options.kdf, local_identity::current());
        slot = object_id::of_content(bytes_of(doc));
        storage->put(names::key_slot(*slot), bytes_of(doc));
    }
    // The config goes last: a repository exists once its config does, and by then its key
    // slot is there to open it. Put-if-absent makes two racing inits safe: one wins.
    const std::string config_json = config.to_json();
    const bool atomic = storage->has_feature(HF_STORAGE_FEATURE_PUT_IF_ABSENT);
    try {
        storage->put(std::string(names::config), bytes_of(config_json),
                     atomic ? HF_PUT_IF_ABSENT : 0u);
    } catch (const client::plugin_error& e) {
        if (slot) {
            try {
                storage->remove(names::key_slot(*slot));
            } catch (const std::exception& cleanup) {
                spdlog::warn("could not remove key slot {}: {}", names::key_slot(*slot),
                             cleanup.what());
            }
        }
        if (e.code() == HF_ERR_ALREADY_EXISTS) already_exists(location);
        throw;
    }
    return repo(std::make_unique<state>(std::move(storage), std::move(location), config,
                                        std::move(key), slot));
}

repo repo::open(std::shared_ptr<client::storage_instance> storage, std::string location,
                std::string_view password, const open_options& options) {
    std::vector<std::byte> bytes;
    try {
        bytes = storage->get(std::string(names::config));
    } catch (const client::plugin_error& e) {
        if (e.code() == HF_ERR_NOT_FOUND)
            throw repository_error("no repository at " + location +
                                   "; create one with 'holdfast init'");
        throw;
    }
    repository_config config = repository_config::parse(as_text(bytes), location);

    std::unique_ptr<const master_key> key;
    std::optional<object_id> slot;
    if (config.parameters.encryption == encryption_mode::aes_256_gcm) {
        auto [k, s] = unlock(*storage, location, config, password, options);
        key = std::move(k);
        slot = s;
    } else if (!list_object_ids(*storage, names::keys_prefix).empty()) {
        // An unencrypted config next to key slots means the config was altered: writing
        // plaintext into an encrypted repository is exactly what must not happen.
        throw repository_error("the config of " + location +
                               " says the repository is unencrypted, but it has key slots: the "
                               "config object was altered; restore it from a copy");
    }
    return repo(std::make_unique<state>(std::move(storage), std::move(location), std::move(config),
                                        std::move(key), slot));
}

client::storage_instance& repo::storage() const noexcept { return *state_->storage; }
const std::shared_ptr<client::storage_instance>& repo::shared_storage() const noexcept {
    return state_->storage;
}
const std::string& repo::location() const noexcept { return state_->location; }
const repository_config& repo::config() const noexcept { return state_->config; }
bool repo::encrypted() const noexcept { return state_->key != nullptr; }
const master_key* repo::key() const noexcept { return state_->key.get(); }
const std::optional<object_id>& repo::key_slot() const noexcept { return state_->slot; }
void repo::use_key_slot(const object_id& slot) { state_->slot = slot; }
codec_pool& repo::codecs() const noexcept { return *state_->codecs; }
master_index& repo::index() noexcept { return state_->index; }
const master_index& repo::index() const noexcept { return state_->index; }

chunker_params repo::chunker() const {
    return state_->config.chunker(state_->key ? state_->key->chunker_seed : default_gear_seed);
}

void repo::load_index() {
    master_index fresh;
    auto codec = codecs().borrow();
    load_indexes(storage(), codec->objects(), fresh);
    state_->index = std::move(fresh);
}

namespace {

// Where the index has `id`, refusing a blob it does not know or of another type than expected.
blob_location locate(const master_index& index, const std::string& where, const object_id& id,
                     std::optional<blob_type> expected) {
    auto location = index.find(id);
    if (!location)
        throw repository_error("blob " + id.hex() + " is not in the index of " + where + "; run 'holdfast check'");
    if (expected && location->record.type != *expected)
        throw corruption_error("blob " + id.hex() + " in pack " + location->pack.hex() + " is a " +
                               std::string(to_string(location->record.type)) + " blob, expected " +
                               std::string(to_string(*expected)) + "; run 'holdfast check'");
    return *location;
}

}  // namespace

std::vector<std::byte> repo::read_blob(const object_id& id, std::optional<blob_type> expected) const {
    const blob_location location = locate(state_->index, state_->location, id, expected);
    auto codec = codecs().borrow();
    return repository::read_blob(storage(), *codec, location.pack, location.record,
                                 [this](const object_id& base) { return read_base_blob(base); });
}

std::vector<std::byte> repo::read_base_blob(const object_id& id) const {
    const blob_location location = locate(state_->index, state_->location, id, blob_type::data);
    auto codec = codecs().borrow();
    return repository::read_blob(storage(), *codec, location.pack, location.record, {});
}

std::vector<object_id> repo::delta_bases(const object_id& id) const {
    const blob_location location = locate(state_->index, state_->location, id, std::nullopt);
    auto codec = codecs().borrow();
    return read_delta_bases(storage(), *codec, location.pack, location.record);
}

std::uint32_t repo::plain_length(const object_id& id, std::optional<blob_type> expected) const {
    return locate(state_->index, state_->location, id, expected).record.plain_length;
}

}  // namespace holdfast::repository
