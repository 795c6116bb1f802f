// A plugin's JSON manifest: what the host knows about a plugin before (and
// without) loading its library. The format is described by
// manifests/manifest.schema.json and docs/plugins.md.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::plugins {

enum class plugin_kind { engine, storage };

std::string_view to_string(plugin_kind kind);
std::optional<plugin_kind> parse_kind(std::string_view text);

// The manifest format versions this host reads: any 1.x.y.
inline constexpr int manifest_format_major = 1;

// The commands an engine may declare command-line options for (the manifest's
// "options", format 1.1): the keys of its object.
inline constexpr std::array<std::string_view, 4> option_commands{"backup", "restore", "verify", "clone"};

// One command-line option an engine declares for one command. The host parses it
// from the command line and hands the value to the engine under `key`.
struct engine_option {
    enum class value_type { boolean, string, integer, array };  // array: of strings, a repeatable flag
    std::string key;          // the JSON key the engine receives: "exclude_databases"
    value_type type = value_type::string;
    std::string description;  // shown by --help
    std::string flag;         // without dashes: "exclude-database" (default: key with '_' -> '-')
    std::string value_name;   // shown by --help: "--flag NAME" (default: VALUE, or N for integers)
    bool path = false;        // "format": "path": the host makes the value absolute
    bool standalone = false;  // restore only: makes sense without a snapshot (a rollback)
};

std::string_view to_string(engine_option::value_type type);

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
    nlohmann::json settings_schema;      // the settings' schema, checked against plugins/settings_schema.hpp
    // Command-line options by command ("restore" -> ...), each list in manifest order.
    std::map<std::string, std::vector<engine_option>, std::less<>> options;

    bool serves(std::string_view scheme) const;
    bool has_capability(std::string_view capability) const;
    // The options declared for `command` (one of option_commands); empty when none.
    const std::vector<engine_option>& options_for(std::string_view command) const;
};

// A manifest that cannot be used. what() is the reason alone, one line,
// without the file name (callers prefix it).
class manifest_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Read and validate the manifest `file`. Throws manifest_error.
manifest read_manifest(const std::filesystem::path& file);

// Validate manifest text as if it had been read from `file` (used to resolve
// library_path). Throws manifest_error.
manifest parse_manifest(std::string_view text, const std::filesystem::path& file);

}  // namespace holdfast::plugins
