// The manifest's "options" field (format 1.1): the command-line options an engine declares
// for backup, restore, verify and clone. Checked by hand like the rest of the manifest, so
// every mistake is one line naming the entry ("options.restore.jobs: ...").
#pragma once

#include "plugins/manifest.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <string>
#include <vector>

namespace holdfast::plugins {

// The fields of one option, and the values of its "type" (manifests/manifest.schema.json
// describes the same).
inline constexpr std::array<std::string_view, 6> option_fields{"type",       "description", "flag",
                                                               "value_name", "format",      "standalone"};
inline constexpr std::array<std::string_view, 4> option_type_names{"boolean", "string", "integer", "array"};

using option_table = std::map<std::string, std::vector<engine_option>, std::less<>>;

// `options` is the field's value with its keys in the manifest's order (the order --help
// lists them in). `strict`: the manifest declares a format minor this host knows, so an
// unknown command or field is a typo and refused; in a newer minor they are ignored.
// Throws manifest_error.
option_table parse_engine_options(const nlohmann::ordered_json& options, bool strict);

}  // namespace holdfast::plugins
