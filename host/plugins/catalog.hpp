// Plugin discovery: every manifest found on the search path, which of them
// win, and loading the libraries of the winners on demand.
#pragma once

#include "plugins/manifest.hpp"

#include <holdfast/client/engine.hpp>
#include <holdfast/client/storage.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::plugins {

// Which plugins a deployment allows (the config's `plugins:` section).
// An empty `enable` list means every plugin not in `disable`.
struct plugin_policy {
    std::vector<std::string> enable;
    std::vector<std::string> disable;
    bool allows(std::string_view name) const;
};

// The directories to search, in order: `cli_plugin_path` (--plugin-path,
// each element may itself be ':'-separated) or else HOLDFAST_PLUGIN_PATH
// replace the rest; otherwise HOLDFAST_ADD_PLUGIN_PATH, the user's data
// directory, the install prefix relative to the executable, then system
// directories. See docs/plugins.md and search_path.hpp.
std::vector<std::filesystem::path> search_path(const std::vector<std::string>& cli_plugin_path);

// A loaded library: stays loaded until the process exits (loaded_plugin.hpp).
class loaded_plugin;

// One manifest found during discovery.
struct entry {
    enum class state { ok, invalid, shadowed, disabled, load_failed };
    std::filesystem::path manifest_file;
    std::shared_ptr<const manifest> info;  // null when the manifest itself is invalid
    state status = state::ok;
    std::string reason;                    // one line, empty when ok
};

std::string_view to_string(entry::state state);

// One line naming the plugin, its manifest file and the reason, e.g.
//   plugin "sqlite" (/usr/lib/holdfast/plugins/sqlite/sqlite.json): library not found: ...
//   plugin manifest /path/x.json: missing required field "kind"
std::string describe(const entry& e);

class catalog {
public:
    // Scan `directories` (files in each taken in sorted order) and apply `policy`.
    static catalog discover(const std::vector<std::filesystem::path>& directories, const plugin_policy& policy);

    // Every manifest found, in search order, with its status.
    const std::vector<entry>& entries() const;

    // The winning, enabled plugin of that name; nullptr if there is none.
    // A plugin whose library failed to load is still returned: engine() and
    // storage() then report why it cannot be used.
    const manifest* find(std::string_view name) const;
    // The winning, enabled plugin of `kind` serving URL scheme `scheme`
    // (compared case-insensitively); the first in search order when several
    // serve it; nullptr if none.
    const manifest* find_by_scheme(std::string_view scheme, plugin_kind kind) const;

    // Load (once) the named plugin; throws holdfast::plugin_unavailable with one
    // line naming the manifest file and the reason. The table stays valid until
    // the process exits.
    const hf_engine_functions& engine(std::string_view name);
    const hf_storage_functions& storage(std::string_view name);
    // The services to pass to the named plugin's open(); loads it like
    // engine()/storage(). Valid until the process exits.
    const hf_host_services* host_services(std::string_view name);

    // Load the plugin if needed and open an instance with `settings_json`
    // (already validated against the manifest's settings schema). Throws
    // plugin_unavailable, or client::plugin_error when open() fails.
    client::engine_instance open_engine(std::string_view name, const std::string& settings_json);
    client::storage_instance open_storage(std::string_view name, const std::string& settings_json);

    // Try to load every plugin whose status is ok, turning failures into
    // state::load_failed with their reason (for `holdfast plugins`).
    void load_all();

private:
    entry* winner(std::string_view name);
    const loaded_plugin& require(std::string_view name, std::optional<plugin_kind> kind);

    std::vector<entry> entries_;
    // Non-owning: loaded plugins live in a process-wide registry.
    std::map<std::string, const loaded_plugin*, std::less<>> loaded_;
};

}  // namespace holdfast::plugins
