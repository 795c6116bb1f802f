// How commands name a source: a source of the configuration by name, or a URL whose scheme
// an engine serves (sqlite:///var/lib/app.db), which needs no configuration at all. Either
// way the settings are checked against the engine's settings schema (config/settings.hpp)
// before the plugin sees them.
#pragma once

#include "config/config.hpp"
#include "plugins/catalog.hpp"
#include "plugins/manifest.hpp"

#include <holdfast/client/engine.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace holdfast::cli {

struct resolved_source {
    // As snapshots record it: the configuration's name, or the URL (a password in it
    // replaced by <secret>).
    std::string name;
    const plugins::manifest* engine = nullptr;
    // The JSON the engine is opened with. Holds secrets in clear: never print or log it.
    std::string settings_json;
};

// True when `spec` is a URL ("scheme://...") rather than a source name.
bool is_source_url(std::string_view spec);

// For backup: `spec` is a configured source's name or a URL. Throws usage_error for an
// unknown name or a URL no engine serves, plugin_unavailable when the engine is missing
// or disabled, config_error for settings the schema refuses.
resolved_source resolve_source(const plugins::catalog& catalog, const config::config& cfg, std::string_view spec);

// For restore: the engine is the one that made the snapshot. The settings come from
// `url` when given, else from the configured source named `name`, else from `name`
// itself when it is a URL (a snapshot of a one-off backup).
resolved_source resolve_restore_source(const plugins::catalog& catalog, const config::config& cfg,
                                       const std::string& name, std::string_view engine,
                                       const std::optional<std::string>& url);

// Loads the engine plugin and opens the source.
client::engine_instance open_source(plugins::catalog& catalog, const resolved_source& source);

}  // namespace holdfast::cli
