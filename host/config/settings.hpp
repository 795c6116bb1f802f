// Turning a `settings:` mapping into the JSON a plugin receives: validated
// against the plugin's settings schema, secrets obtained, defaults applied.
//
// The schema uses the subset of JSON Schema defined in plugins/settings_schema.hpp
// (the one manifests are checked against; docs/plugins.md): type (one type name
// or an array of them), properties, required, enum, default, description,
// additionalProperties (true, false or a schema for unlisted keys; false unless
// given where properties are listed: an unknown key is a typo until proven
// otherwise; an object listing no properties takes any key), items, minimum,
// maximum, and "secret": true for values that must never be shown.
//
// YAML scalars are text: a scalar becomes the first of boolean, integer, number
// and string (in that order) that the schema allows and the text reads as.
#pragma once

#include "config/config.hpp"
#include "config/problems.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace holdfast::config {

struct resolved_settings {
    // For the plugin. Holds secret values in clear: never print or log it.
    nlohmann::json values = nlohmann::json::object();
    // Where secrets are in `values`: properties marked "secret" and every value
    // obtained through X_env, X_file or X_command.
    std::vector<nlohmann::json::json_pointer> secrets;

    // `values` with every secret replaced by "<secret>", for showing.
    nlohmann::json redacted() const;
};

// Validate `block` against `schema`, reporting every problem (with the key's
// file, line and column) to `problems`. The result holds what was valid.
resolved_settings resolve_settings(const settings_block& block, const nlohmann::json& schema, problem_list& problems);

// The same for commands that need the settings: throws config_error listing
// every error, and logs warnings.
resolved_settings resolve_settings(const settings_block& block, const nlohmann::json& schema);

// The settings for the storage plugin serving the repository. The location is
// handed over as a setting: "path" (an absolute directory) for a plain path or
// file:// URL when the schema has "path", else "url" (the location as written)
// when the schema has "url". Giving that setting in `settings:` too is an error.
resolved_settings resolve_repository_settings(const repository_config& repo, const nlohmann::json& schema,
                                              problem_list& problems);
resolved_settings resolve_repository_settings(const repository_config& repo, const nlohmann::json& schema);

}  // namespace holdfast::config
