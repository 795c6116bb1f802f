// Plugin discovery: every manifest found on the search path, which of them
// win, and loading the libraries of the winners on demand.
#pragma once

#include "plugins/manifest.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct hf_engine_functions;
struct hf_storage_functions;

namespace holdfast::plugins {

// Which plugins a deployment allows (the config's `plugins:` section).
// An empty `enable` list means every plugin not in `disable`.
struct plugin_policy {
    std::vector<std::string> enable;
    std::vector<std::string> disable;
    bool allows(std::string_view name) const;
};

// The directories to search, in order: `cli_plugin_path` (--plugin-path) or
// else HOLDFAST_PLUGIN_PATH replace the rest; otherwise HOLDFAST_ADD_PLUGIN_PATH,
// the user's data directory, the install prefix relative to the executable,
// then system directories. See docs/plugins.md.
std::vector<std::filesystem::path> search_path(const std::vector<std::string>& cli_plugin_path);

// A loaded library: stays loaded until the process exits.
class loaded_plugin;

// One manifest found during discovery.
struct entry {
    enum class state { ok, invalid, shadowed, disabled, load_failed };
    std::filesystem::path manifest_file;
    std::shared_ptr<const manifest> info;  // null when the manifest itself is invalid
    state status = state::ok;
    std::string reason;                    // one line, empty when ok
};

class catalog {
public:
    // Scan `directories` (files in each taken in sorted order) and apply `policy`.
    static catalog discover(const std::vector<std::filesystem::path>& directories, const plugin_policy& policy);

    // Every manifest found, in search order, with its status.
    const std::vector<entry>& entries() const;

    // The winning, enabled plugin of that name; nullptr if there is none.
    const manifest* find(std::string_view name) const;
    // The winning, enabled plugin of `kind` serving URL scheme `scheme`; nullptr if none.
    const manifest* find_by_scheme(std::string_view scheme, plugin_kind kind) const;

    // Load (once) the named plugin; throws holdfast::plugin_unavailable with one
    // line naming the manifest file and the reason.
    const hf_engine_functions& engine(std::string_view name);
    const hf_storage_functions& storage(std::string_view name);

    // Try to load every plugin whose status is ok, turning failures into
    // state::load_failed with their reason (for `holdfast plugins`).
    void load_all();

private:
    std::vector<entry> entries_;
    std::map<std::string, std::shared_ptr<loaded_plugin>, std::less<>> loaded_;
};

}  // namespace holdfast::plugins
