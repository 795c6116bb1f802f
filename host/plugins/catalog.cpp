// Discovery (which manifests exist, which of them win) and loading on demand.
#include "plugins/catalog.hpp"

#include "core/error.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/scan.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <system_error>

namespace holdfast::plugins {
namespace {

namespace fs = std::filesystem;

bool usable(const entry& e) { return e.status == entry::state::ok || e.status == entry::state::load_failed; }

std::string disabled_reason(std::string_view name, const plugin_policy& policy) {
    if (std::find(policy.disable.begin(), policy.disable.end(), name) != policy.disable.end())
        return "disabled by the configuration (listed in plugins.disable)";
    return "disabled by the configuration (not listed in plugins.enable)";
}

// The same file reached twice (a directory listed twice, a symlinked folder)
// is one manifest, not a plugin shadowing itself.
fs::path identity(const fs::path& file) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(file, ec);
    return ec ? fs::absolute(file).lexically_normal() : canonical;
}

// What a one-line message is about: the plugin and its manifest file.
std::string subject(const entry& e) {
    if (e.info == nullptr) return "plugin manifest " + e.manifest_file.string();
    return "plugin \"" + e.info->name + "\" (" + e.manifest_file.string() + ")";
}

std::string_view a_kind(plugin_kind kind) { return kind == plugin_kind::engine ? "an engine" : "a storage plugin"; }

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

std::string_view to_string(entry::state state) {
    switch (state) {
        case entry::state::ok: return "ok";
        case entry::state::invalid: return "invalid";
        case entry::state::shadowed: return "shadowed";
        case entry::state::disabled: return "disabled";
        case entry::state::load_failed: return "load_failed";
    }
    return "unknown";
}

std::string describe(const entry& e) {
    return subject(e) + ": " + (e.reason.empty() ? std::string("ok") : e.reason);
}

catalog catalog::discover(const std::vector<fs::path>& directories, const plugin_policy& policy) {
    catalog result;
    std::set<fs::path> seen;
    std::map<std::string, fs::path, std::less<>> winners;
    for (const auto& directory : directories) {
        for (const auto& file : manifest_files(directory)) {
            if (!seen.insert(identity(file)).second) continue;
            entry e;
            std::error_code ec;
            fs::path absolute = fs::absolute(file, ec);
            e.manifest_file = (ec ? file : absolute).lexically_normal();
            try {
                e.info = std::make_shared<const manifest>(read_manifest(file));
            } catch (const std::exception& error) {
                // manifest_error, or a failure of the file system or memory
                // while reading it: either way this manifest alone is unusable.
                e.status = entry::state::invalid;
                e.reason = error.what();
                result.entries_.push_back(std::move(e));
                continue;
            }
            const std::string& name = e.info->name;
            if (auto winner = winners.find(name); winner != winners.end()) {
                e.status = entry::state::shadowed;
                e.reason = "shadowed by " + winner->second.string();
            } else {
                winners.emplace(name, e.manifest_file);
                if (!policy.allows(name)) {
                    e.status = entry::state::disabled;
                    e.reason = disabled_reason(name, policy);
                }
            }
            result.entries_.push_back(std::move(e));
        }
    }
    return result;
}

const std::vector<entry>& catalog::entries() const { return entries_; }

entry* catalog::winner(std::string_view name) {
    // Only the first manifest of a name can be ok, load_failed or disabled.
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) {
        return e.info != nullptr && e.info->name == name && e.status != entry::state::shadowed;
    });
    return it == entries_.end() ? nullptr : &*it;
}

const manifest* catalog::find(std::string_view name) const {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const entry& e) { return usable(e) && e.info->name == name; });
    return it == entries_.end() ? nullptr : it->info.get();
}

const manifest* catalog::find_by_scheme(std::string_view scheme, plugin_kind kind) const {
    const std::string wanted = lower(scheme);
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) {
        return usable(e) && e.info->kind == kind && e.info->serves(wanted);
    });
    return it == entries_.end() ? nullptr : it->info.get();
}

const loaded_plugin& catalog::require(std::string_view name, std::optional<plugin_kind> kind) {
    entry* e = winner(name);
    if (e == nullptr)
        throw plugin_unavailable("no plugin named \"" + std::string(name) +
                                 "\" was found on the plugin search path (`holdfast plugins` lists what was found)");
    if (kind && e->info->kind != *kind)
        throw plugin_unavailable(subject(*e) + ": is " + std::string(a_kind(e->info->kind)) + ", not " +
                                 std::string(a_kind(*kind)));
    if (e->status != entry::state::ok) throw plugin_unavailable(describe(*e));

    if (auto it = loaded_.find(name); it != loaded_.end()) return *it->second;
    try {
        const loaded_plugin& plugin = loaded_plugin::load(*e->info);
        loaded_.emplace(std::string(name), &plugin);
        return plugin;
    } catch (const load_error& error) {
        e->reason = error.what();
    } catch (const std::exception& error) {
        // Not a verdict on the plugin (out of memory, a file system error):
        // still reported as a load failure, with what we know.
        e->reason = std::string("cannot load the plugin: ") + error.what();
    }
    e->status = entry::state::load_failed;
    throw plugin_unavailable(describe(*e));
}

const hf_engine_functions& catalog::engine(std::string_view name) {
    return require(name, plugin_kind::engine).engine_functions();
}

const hf_storage_functions& catalog::storage(std::string_view name) {
    return require(name, plugin_kind::storage).storage_functions();
}

const hf_host_services* catalog::host_services(std::string_view name) {
    return require(name, std::nullopt).services();
}

client::engine_instance catalog::open_engine(std::string_view name, const std::string& settings_json) {
    const loaded_plugin& plugin = require(name, plugin_kind::engine);
    return client::engine_instance(&plugin.engine_functions(), settings_json, plugin.services());
}

client::storage_instance catalog::open_storage(std::string_view name, const std::string& settings_json) {
    const loaded_plugin& plugin = require(name, plugin_kind::storage);
    return client::storage_instance(&plugin.storage_functions(), settings_json, plugin.services());
}

void catalog::load_all() {
    for (auto& e : entries_) {
        if (e.status != entry::state::ok || loaded_.contains(e.info->name)) continue;
        try {
            require(e.info->name, std::nullopt);
        } catch (const plugin_unavailable&) {
            // Recorded in the entry by require().
        }
    }
}

}  // namespace holdfast::plugins
