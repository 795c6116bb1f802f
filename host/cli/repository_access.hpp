// How commands reach a repository: where it is, which storage plugin serves
// it, and the password. Shared by every command that touches a repository.
//
// Location, first found: --repo, HOLDFAST_REPOSITORY, the config's
// repository.location. The storage plugin is the one serving the location's
// URL scheme (a plain path or file:// is "file"), with the config's
// repository settings when the location came from the config.
// Password, first found: HOLDFAST_PASSWORD, --password-file, --password-command,
// the config's repository password_env/_file/_command, else a prompt when
// stdin is a terminal (asked twice when creating), else a usage error.
#pragma once

#include "cli/command.hpp"
#include "config/config.hpp"
#include "plugins/catalog.hpp"
#include "repository/repository.hpp"

#include <holdfast/client/storage.hpp>

#include <memory>
#include <string>

namespace holdfast::cli {

// Adds --repo LOCATION, --password-file FILE, --password-command CMD.
void add_repository_options(po::options_description& desc);

// The storage behind a repository location, before opening it (for init).
struct repository_target {
    plugins::catalog catalog;  // keeps the storage plugin registered
    config::config config;
    std::string location;
    std::shared_ptr<client::storage_instance> storage;
};

// An opened repository with its index loaded.
struct repository_session {
    plugins::catalog catalog;
    config::config config;
    repository::repo repo;
};

// Resolve the location and open its storage. Throws usage_error when no
// location is given anywhere, plugin_unavailable when no storage plugin
// serves its scheme.
repository_target repository_storage(const context& ctx, const po::variables_map& vm);

// What the storage is opened for. Only `holdfast init` creates: every other
// command must find the repository where it was told to look, and a mistyped
// location must not leave an empty directory behind.
enum class storage_use { open_existing, create };

// As above; with open_existing (what the two-argument form does) a location
// that does not exist is "no repository at ..." (repository_error, exit 1).
// With create, a storage plugin with a "create" setting is told to create it.
repository_target repository_storage(const context& ctx, const po::variables_map& vm, storage_use use);

// The password, from the sources above. `confirm`: ask twice on a terminal.
std::string repository_password(const context& ctx, const po::variables_map& vm, const config::config& cfg,
                                 bool confirm);

// --new-password-file FILE, for the key commands that make a key slot.
void add_new_password_option(po::options_description& desc);

// The new password of `key add` / `key passwd`: from --new-password-file, else asked
// twice on the terminal; never HOLDFAST_PASSWORD, which opens the repository. Throws
// usage_error when neither is possible or the password is empty.
std::string new_repository_password(const po::variables_map& vm);

// A password and where it came from, so "wrong password" can say which source to fix (a
// stale HOLDFAST_PASSWORD is the classic). Wiped when it goes away.
struct found_password {
    std::string value;
    std::string origin;

    found_password() = default;
    found_password(std::string v, std::string o) : value(std::move(v)), origin(std::move(o)) {}
    found_password(found_password&&) noexcept = default;
    found_password& operator=(found_password&&) noexcept = default;
    found_password(const found_password&) = delete;
    found_password& operator=(const found_password&) = delete;
    ~found_password() { wipe(); }

    // Overwrites the password and empties it (origin stays, for messages).
    void wipe() noexcept;
};

// open_repository in two steps, for a command with other work to do while the key is
// derived (backup starts its engine meanwhile). locate_repository does all that may stop
// at a person or a usage error: the configuration, the storage, and the password (asked
// for on a terminal if need be). unlock() then derives the key (scrypt: slow on purpose)
// and opens the repository, and may run on another thread.
struct located_repository {
    repository_target target;
    found_password password;  // empty when the repository is not encrypted, and after unlock()

    // repo::open, once; a wrong password names where it came from. Wipes the password.
    repository::repo unlock();
};
located_repository locate_repository(const context& ctx, const po::variables_map& vm);

// repository_storage + repository_password + repo::open + load_index.
// The password is asked for only when the repository is encrypted, and only
// once the repository was found (so "no repository at ..." comes first).
repository_session open_repository(const context& ctx, const po::variables_map& vm);

// Whether open_repository loads the index. `skip` is for commands that do not
// read blobs (key, unlock), and for those that take their lock first and load
// the index afterwards, so a prune cannot change it under them.
enum class index_use { load, skip };
repository_session open_repository(const context& ctx, const po::variables_map& vm, index_use index);

}  // namespace holdfast::cli
