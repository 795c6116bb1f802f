// What `holdfast config check` verifies once the file is loaded: every source's
// engine plugin exists and is enabled, the repository's scheme is served by a
// storage plugin, all settings are valid for their plugin's schema, every
// secret can be obtained, and plugins.enable/disable name plugins that exist.
// The report is printed without any secret value.
#pragma once

#include "config/config.hpp"
#include "config/problems.hpp"
#include "plugins/manifest.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::config {

// How the check finds plugins. The command answers from the plugin catalog;
// tests answer from manifests they build.
struct plugin_lookup {
    // The enabled engine plugin `name`, or nullptr after saying why in `why`.
    std::function<const plugins::manifest*(std::string_view name, std::string& why)> engine;
    // The enabled storage plugin serving URL scheme `scheme`, or nullptr after saying why.
    std::function<const plugins::manifest*(std::string_view scheme, std::string& why)> storage;
    // Every plugin name found, whatever its state.
    std::vector<std::string> known_names;
};

struct check_report {
    struct source_result {
        std::string name;
        std::string engine;
        std::optional<nlohmann::json> settings;  // resolved and redacted, when the engine was found
    };
    std::vector<source_result> sources;
    std::optional<nlohmann::json> repository_settings;  // resolved and redacted
};

// Check `cfg` (already loaded, its load problems in `problems`), adding what is found to `problems`.
check_report check(const config& cfg, const plugin_lookup& lookup, problem_list& problems);

// Print the outcome: every problem, one per line in file order, then
// "ok: <file>: N sources, repository <location>" when there is no error; or
// with `json`, one JSON document. Returns the exit code (0, or 2 on errors).
int print_report(std::ostream& out, const config& cfg, const check_report& report, const problem_list& problems,
                 bool json);

}  // namespace holdfast::config
