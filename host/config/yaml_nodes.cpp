#include "config/yaml_nodes.hpp"

#include "config/interpolate.hpp"

#include <algorithm>

namespace holdfast::config {

std::vector<yaml_entry> entries_of(const YAML::Node& map, const std::string& file, const std::string& prefix,
                                   problem_list& problems) {
    std::vector<yaml_entry> entries;
    for (const auto& pair : map) {
        // Copies: yaml-cpp's iterator hands out a temporary pair.
        const YAML::Node key = pair.first;
        if (!key.IsScalar()) {
            problems.error(at(file, key.Mark()), prefix + "<key>: keys must be plain names, not " + describe(key));
            continue;
        }
        auto first = std::find_if(entries.begin(), entries.end(), [&](const yaml_entry& e) { return e.key == key.Scalar(); });
        if (first != entries.end()) {
            problems.error(at(file, key.Mark()), prefix + key.Scalar() + ": duplicate key (first given on line " +
                                                     std::to_string(at(file, first->key_node.Mark()).line) + ")");
            continue;
        }
        entries.push_back({key.Scalar(), key, pair.second});
    }
    return entries;
}

position value_position(const yaml_entry& entry, const std::string& file) {
    if (entry.value.IsNull() || entry.value.Mark().is_null()) return at(file, entry.key_node.Mark());
    return at(file, entry.value.Mark());
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Scalar: return "a value";
        default: return "nothing";
    }
}

std::optional<std::string> scalar_text(const YAML::Node& node, const position& where, const std::string& label,
                                       problem_list& problems) {
    if (!node.IsScalar()) {
        problems.error(where, label + ": expected a string, got " + describe(node));
        return std::nullopt;
    }
    try {
        return interpolate(node.Scalar());
    } catch (const interpolation_error& e) {
        problems.error(where, label + ": " + e.what());
        return std::nullopt;
    }
}

std::string quote(std::string_view text) { return '"' + std::string(text) + '"'; }

}  // namespace holdfast::config
