// A plugin's JSON manifest: what the host knows about a plugin before (and
// without) loading its library. The format is described by
// manifests/manifest.schema.json and docs/plugins.md.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace holdfast::plugins {

enum class plugin_kind { engine, storage };

std::string_view to_string(plugin_kind kind);

struct manifest {
    std::filesystem::path file;          // the manifest file itself (absolute)
    std::string file_format_version;     // "1.0.0"; major must be 1
    std::string name;                    // unique plugin name, [a-z0-9][a-z0-9_-]*
    plugin_kind kind = plugin_kind::engine;
    std::filesystem::path library;       // absolute, resolved against file's directory
    int abi_major = 0;                   // from "abi_version": "MAJOR.MINOR"
    int abi_minor = 0;
    std::string version;                 // the plugin's own version
    std::string description;
    std::vector<std::string> schemes;    // URL schemes served: "sqlite", "s3", ...
    std::vector<std::string> capabilities;
    nlohmann::json settings_schema;      // JSON Schema subset for the plugin's settings
};

}  // namespace holdfast::plugins
