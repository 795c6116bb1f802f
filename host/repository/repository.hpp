// An open repository: its storage, config, master key (when encrypted), in-memory index and
// per-thread codecs. The entry point of the repository layer: init() creates one, open()
// opens one; the other modules (blob_store, snapshots, key_management, repository_lock,
// orphan_recovery) work on a repo.
#pragma once

#include "repository/codec_pool.hpp"
#include "repository/crypto.hpp"
#include "repository/master_index.hpp"
#include "repository/master_key.hpp"
#include "repository/object_id.hpp"
#include "repository/pack_format.hpp"
#include "repository/repository_config.hpp"

#include <holdfast/client/storage.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::repository {

struct init_options {
    repository_parameters parameters;
    // For the first key slot. Tests use a small N; the format records it per slot.
    scrypt_params kdf;
};

struct open_options {
    // Key slots come from storage: one asking scrypt for more memory than this is refused.
    std::uint64_t scrypt_max_memory = scrypt_default_max_memory;
};

class repo {
public:
    // Creates a repository on `storage`: the first key slot (encrypted repositories), then
    // the config object, written put-if-absent where the storage supports it. Throws
    // repository_error "a repository already exists at <location>" when there is one, and
    // usage_error for bad parameters or an empty password. `location` names the repository
    // in messages (a path or URL).
    static repo init(std::shared_ptr<client::storage_instance> storage, std::string location,
                     std::string_view password, const init_options& options = {});

    // Opens an existing repository; the password is ignored when it is unencrypted. Throws
    // repository_error ("no repository at ...", "... is not a holdfast repository",
    // "repository format version N is newer ..."), wrong_password_error.
    static repo open(std::shared_ptr<client::storage_instance> storage, std::string location,
                     std::string_view password, const open_options& options = {});

    repo(repo&&) noexcept;
    repo& operator=(repo&&) noexcept;
    ~repo();

    client::storage_instance& storage() const noexcept;
    // For objects that must keep the storage alive on their own threads (locks).
    const std::shared_ptr<client::storage_instance>& shared_storage() const noexcept;
    const std::string& location() const noexcept;
    const repository_config& config() const noexcept;
    bool encrypted() const noexcept;
    // Null when unencrypted. Stable for the repo's lifetime.
    const master_key* key() const noexcept;
    // The key slot the password opened (nullopt when unencrypted).
    const std::optional<object_id>& key_slot() const noexcept;
    // The chunker parameters, with the gear seed from the master key.
    chunker_params chunker() const;

    // Per-thread codecs (ids, encode/decode blobs, seal objects); thread-safe.
    codec_pool& codecs() const noexcept;

    // The in-memory index. Empty after open(): call load_index(). While a blob_store is
    // writing, access it only through the store.
    master_index& index() noexcept;
    const master_index& index() const noexcept;
    // Replaces the in-memory index with the union of all index objects.
    void load_index();

    // The blob's plaintext, verified; thread-safe as long as nobody changes the index.
    // Throws repository_error if the index does not know the blob (or it has another type
    // than `expected`), corruption_error if it is damaged.
    std::vector<std::byte> read_blob(const object_id& id,
                                     std::optional<blob_type> expected = std::nullopt) const;
    // The plaintext of a blob a delta may be stored against: as read_blob, but a blob that is
    // itself a delta is refused as corrupt (a delta's bases are never deltas).
    std::vector<std::byte> read_base_blob(const object_id& id) const;
    // The bases of a delta blob (empty for any other blob), read from its stored bytes; same
    // errors as read_blob.
    std::vector<object_id> delta_bases(const object_id& id) const;
    // The blob's plaintext length as the index records it, without reading the blob (which
    // read_blob checks against the same record); thread-safe like read_blob, same errors for
    // a blob the index does not know or of another type.
    std::uint32_t plain_length(const object_id& id, std::optional<blob_type> expected = std::nullopt) const;

    // For key management: the slot in use after a password change.
    void use_key_slot(const object_id& slot);

private:
    struct state;
    explicit repo(std::unique_ptr<state> s);
    std::unique_ptr<state> state_;
};

}  // namespace holdfast::repository
