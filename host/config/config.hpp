// The configuration as the rest of the host sees it: where the repository is,
// which sources exist, which plugins are allowed. Settings stay as written (YAML
// with positions) until resolve_settings() checks them against the schema of
// the plugin that will receive them; see settings.hpp.
#pragma once

#include "config/problems.hpp"
#include "plugins/catalog.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::config {

// A secret given as X, X_env, X_file or X_command: how to obtain it, not its
// value (except for `literal`). Revealed only when needed; see secrets.hpp.
struct secret_source {
    enum class kind { literal, env, file, command };
    kind from = kind::literal;
    std::string key;   // the key it was given under, e.g. "password_file"
    std::string text;  // the value, variable name, file path or shell command (interpolated)
    position where;
};

// A `settings:` mapping as written. Read-only after loading: the node shares
// its data with the parsed document.
struct settings_block {
    std::string prefix;  // what messages start with: `sources[1] "app" ` or `repository.`
    YAML::Node node;     // the mapping; undefined or null when no settings were given
    position owner;      // where the source or repository starts, for "missing" problems
};

struct repository_config {
    std::string location;  // a path or URL: /var/backups/hf, s3://bucket/prefix
    position location_at;
    std::optional<secret_source> password;
    settings_block settings;

    // The URL scheme of the location; "file" for a plain path.
    std::string scheme() const;
};

struct source_config {
    std::string name;  // unique, [A-Za-z0-9_.-]+
    std::string engine;
    position engine_at;
    settings_block settings;
};

struct config {
    std::optional<std::filesystem::path> file;  // none: no file was found (empty configuration)
    std::optional<repository_config> repository;
    std::vector<source_config> sources;
    plugins::plugin_policy plugins;
    // Where each name of plugins.enable / plugins.disable was written, same order.
    std::vector<position> enable_at;
    std::vector<position> disable_at;

    const source_config* find_source(std::string_view name) const;
};

// The scheme of a location: "s3" for s3://bucket, "file" for /a/path and file:///a/path.
std::string scheme_of(std::string_view location);

// The directory a "file" location names: a plain path (relative ones taken from
// `base`, the configuration file's directory), file:///abs or file://localhost/abs;
// absolute and normalized. nullopt for a file:// URL without an absolute path.
std::optional<std::filesystem::path> file_location_path(std::string_view location, const std::filesystem::path& base);

// The location for display: the password of a URL's user info replaced by <secret>.
std::string redact_location(std::string_view location);

}  // namespace holdfast::config
