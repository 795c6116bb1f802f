// Reading parsed YAML with positions for messages: the helpers the loader and
// the settings validator share.
#pragma once

#include "config/problems.hpp"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

namespace holdfast::config {

struct yaml_entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
};

// The entries of mapping `map`, in file order. Non-scalar and repeated keys are
// reported (yaml-cpp accepts both; a repeated key is almost always a mistake)
// and left out. `prefix` starts the messages, e.g. "repository.".
std::vector<yaml_entry> entries_of(const YAML::Node& map, const std::string& file, const std::string& prefix,
                                   problem_list& problems);

// Where a value is: its own position, or its key's when the value is empty
// (yaml-cpp places an empty value at the start of the next line).
position value_position(const yaml_entry& entry, const std::string& file);

// "a mapping", "a list", "a string", "nothing": for "expected X, got Y".
std::string describe(const YAML::Node& node);

// The text of a scalar with ${VAR} expanded; on failure the reason is reported
// against `label` and nullopt returned.
std::optional<std::string> scalar_text(const YAML::Node& node, const position& where, const std::string& label,
                                       problem_list& problems);

std::string quote(std::string_view text);

}  // namespace holdfast::config
