#include "config/settings.hpp"

#include "config/scalars.hpp"
#include "config/secrets.hpp"
#include "config/yaml_nodes.hpp"
#include "core/suggest.hpp"
#include "plugins/settings_schema.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace holdfast::config {
namespace {

using json = nlohmann::json;
namespace subset = plugins::settings_schema;

const json empty_schema = json::object();
// What a plugin without a settings schema takes: nothing.
const json no_settings = {{"type", "object"}, {"properties", json::object()}, {"additionalProperties", false}};

const json& member(const json& schema, const char* name) {
    static const json none;
    if (!schema.is_object()) return none;
    auto it = schema.find(name);
    return it == schema.end() ? none : *it;
}

bool is_scalar(std::string_view type) {
    return type == "string" || type == "integer" || type == "number" || type == "boolean";
}

// The order in which a scalar's text is tried against the scalar types a
// schema allows: with "type": ["integer", "string"], `5` is 5 and `five` "five".
constexpr std::array<std::string_view, 4> scalar_order{"boolean", "integer", "number", "string"};

// True when a scalar may be given for `schema`: it names no type, or a scalar one.
bool takes_scalar(const json& schema) {
    const auto types = subset::types_of(schema);
    return types.empty() || std::any_of(types.begin(), types.end(), [](const std::string& t) { return is_scalar(t); });
}

// What a schema's types expect, for messages: "a string", "a list or a string",
// "an integer or a boolean".
std::string expected_names(const std::vector<std::string>& types) {
    if (types.size() <= 1) return expected_name(types.empty() ? std::string() : types.front());
    std::string out;
    for (std::size_t i = 0; i < types.size(); ++i) {
        out += i == 0 ? "" : (i + 1 == types.size() ? " or " : ", ");
        out += types[i] == "boolean" ? std::string("a boolean") : expected_name(types[i]);
    }
    return out;
}

// Settings the host fills in itself (the repository's location); giving them
// in the file too is an error.
struct preset_values {
    json values = json::object();
    std::vector<json::json_pointer> secrets;
    std::vector<std::string> failed;  // could not be set; reported already, so not "missing"
    std::string origin;               // what set them, for messages: "repository.location"
};

// One key of a mapping, and whether it is X itself or one of X_env, X_file, X_command.
struct given {
    const yaml_entry* entry;
    std::optional<secret_key> secret;
};

class walker {
public:
    walker(const settings_block& block, problem_list& problems, resolved_settings& out)
        : block_(block), file_(block.owner.file), problems_(problems), out_(out) {}

    void run(const json& schema, const preset_values* preset = nullptr) {
        const YAML::Node& node = block_.node;
        if (node.IsDefined() && !node.IsNull() && !node.IsMap()) {
            problems_.error(at(file_, node.Mark()), block_.prefix + "settings: expected a mapping, got " + describe(node));
            return;
        }
        // With no settings at all, required ones are missing where the source starts.
        position where = node.IsMap() ? at(file_, node.Mark()) : block_.owner;
        out_.values = object(node, schema, "settings", json::json_pointer(), where, false, preset);
    }

private:
    std::string label(const std::string& path) const { return block_.prefix + path; }

    void error(const position& where, const std::string& path, const std::string& message) {
        problems_.error(where, label(path) + ": " + message);
    }

    json object(const YAML::Node& node, const json& schema, const std::string& path, const json::json_pointer& pointer,
                const position& where, bool secret, const preset_values* preset = nullptr) {
        const json& properties = member(schema, "properties");
        const json& additional = member(schema, "additionalProperties");
        // Where settings are listed, an unlisted key is a typo unless the schema
        // says otherwise; an object that lists none is a free-form mapping.
        const bool open = additional.is_object() || additional == true || (additional.is_null() && !properties.is_object());
        auto schema_for = [&](const std::string& name) -> const json& {
            if (properties.contains(name)) return properties.at(name);
            return additional.is_object() ? additional : empty_schema;
        };
        std::vector<yaml_entry> entries;
        if (node.IsMap()) entries = entries_of(node, file_, label(path) + ".", problems_);

        // Keys grouped by the setting they give, in file order.
        std::vector<std::pair<std::string, std::vector<given>>> settings;
        auto group = [&](const std::string& name) -> std::vector<given>& {
            auto it = std::find_if(settings.begin(), settings.end(), [&](const auto& s) { return s.first == name; });
            return it != settings.end() ? it->second : settings.emplace_back(name, std::vector<given>{}).second;
        };
        for (const auto& entry : entries) {
            if (entry.value.IsNull()) continue;  // `key:` with no value reads as not given
            auto secret_form = split_secret_key(entry.key);
            if (properties.contains(entry.key)) group(entry.key).push_back({&entry, std::nullopt});
            else if (secret_form && (open || properties.contains(std::string(secret_form->base))))
                group(std::string(secret_form->base)).push_back({&entry, secret_form});
            else if (open) group(entry.key).push_back({&entry, std::nullopt});
            else unknown(entry, properties, path);
        }

        json result = json::object();
        std::vector<std::string> given_names;
        if (preset != nullptr) {
            for (const auto& [name, v] : preset->values.items()) {
                given_names.push_back(name);
                result[name] = v;
            }
            for (const auto& secret_pointer : preset->secrets) out_.secrets.push_back(secret_pointer);
            given_names.insert(given_names.end(), preset->failed.begin(), preset->failed.end());
        }
        for (const auto& [name, givens] : settings) {
            const given& first = givens[0];
            if (preset != nullptr && preset->values.contains(name)) {
                error(at(file_, first.entry->key_node.Mark()), path + "." + first.entry->key,
                      "already set by " + preset->origin);
                continue;
            }
            given_names.push_back(name);
            if (givens.size() > 1) {
                error(at(file_, givens[1].entry->key_node.Mark()), path + "." + givens[1].entry->key,
                      "give only one of " + name + ", " + name + "_env, " + name + "_file, " + name + "_command");
                continue;
            }
            const json& property = schema_for(name);
            const bool secret_property = member(property, "secret") == true;
            std::optional<json> v = first.secret
                                        ? from_secret(*first.entry, first.secret->from, property, path)
                                        : value(first.entry->value, property, path + "." + name, pointer / name,
                                                value_position(*first.entry, file_), secret || secret_property);
            if (!v) continue;
            result[name] = std::move(*v);
            if (first.secret || secret_property) out_.secrets.push_back(pointer / name);
        }
        // A setting given with a bad value was reported already: it is not missing too.
        auto given_name = [&](const std::string& name) {
            return std::find(given_names.begin(), given_names.end(), name) != given_names.end();
        };
        for (const auto& name : member(schema, "required"))
            if (name.is_string() && !given_name(name.get<std::string>()))
                error(where, path, "missing required setting " + name.dump());
        if (properties.is_object()) {
            for (const auto& [name, property] : properties.items()) {
                if (given_name(name) || !property.is_object() || !property.contains("default")) continue;
                result[name] = property["default"];
                if (member(property, "secret") == true) out_.secrets.push_back(pointer / name);
            }
        }
        return result;
    }

    void unknown(const yaml_entry& entry, const json& properties, const std::string& path) {
        // Candidates: every property, and the secret forms of scalar ones.
        std::vector<std::string> candidates;
        if (properties.is_object()) {
            for (const auto& [name, property] : properties.items()) {
                candidates.push_back(name);
                if (takes_scalar(property))
                    for (const char* suffix : {"_env", "_file", "_command"}) candidates.push_back(name + suffix);
            }
        }
        std::string message = "unknown setting";
        if (auto match = closest_match(entry.key, candidates)) {
            message += "; did you mean " + quote(*match) + "?";
        } else if (properties.empty() || !properties.is_object()) {
            message += "; no settings are accepted here";
        } else {
            message += " (known:";
            for (const auto& [name, property] : properties.items()) message += " " + name;
            message += ")";
        }
        error(at(file_, entry.key_node.Mark()), path + "." + entry.key, message);
    }

    // The value of property `property` given as X_env, X_file or X_command.
    std::optional<json> from_secret(const yaml_entry& entry, secret_source::kind from, const json& property,
                                    const std::string& path) {
        const std::string key_path = path + "." + entry.key;
        const position where = value_position(entry, file_);
        if (!takes_scalar(property)) {
            error(where, key_path, "only a string, number or boolean setting can come from an environment variable, "
                                   "a file or a command");
            return std::nullopt;
        }
        auto text = scalar_text(entry.value, where, label(key_path), problems_);
        if (!text) return std::nullopt;
        auto revealed = reveal(secret_source{from, entry.key, *text, where}, label(key_path), problems_);
        if (!revealed) return std::nullopt;
        return typed(*revealed, property, key_path, where, true);
    }

    // A value of any shape, checked against `schema`; "type" may allow several
    // shapes ("type": ["array", "string"]).
    std::optional<json> value(const YAML::Node& node, const json& schema, const std::string& path,
                              const json::json_pointer& pointer, const position& where, bool secret) {
        const std::vector<std::string> types = subset::types_of(schema);
        if (node.IsScalar()) {
            if (!takes_scalar(schema)) return mismatch(node, expected_names(types), path, where);
            auto text = scalar_text(node, where, label(path), problems_);
            if (!text) return std::nullopt;
            return typed(*text, schema, types, path, where, secret);
        }
        std::optional<json> result;
        const std::size_t problems_before = problems_.all().size();
        if (node.IsMap() && subset::allows(types, "object")) {
            result = object(node, schema, path, pointer, at(file_, node.Mark()), secret);
        } else if (node.IsSequence() && subset::allows(types, "array")) {
            result = list(node, schema, path, pointer, where, secret);
        } else {
            return mismatch(node, expected_names(types), path, where);
        }
        // "enum" on a list or mapping; scalars are checked in typed(). Not when
        // a part was wrong already: that part is the problem to report.
        const json& allowed = member(schema, "enum");
        if (result && problems_.all().size() == problems_before && allowed.is_array() &&
            std::find(allowed.begin(), allowed.end(), *result) == allowed.end()) {
            std::string message = (secret ? std::string("the value") : result->dump()) + " is not one of ";
            for (std::size_t i = 0; i < allowed.size(); ++i) message += (i == 0 ? "" : ", ") + allowed[i].dump();
            error(where, path, message);
            return std::nullopt;
        }
        return result;
    }

    std::optional<json> list(const YAML::Node& node, const json& schema, const std::string& path,
                             const json::json_pointer& pointer, const position& where, bool secret) {
        const json& items = member(schema, "items");
        const json& item_schema = items.is_object() ? items : empty_schema;
        const bool secret_items = member(item_schema, "secret") == true;
        json result = json::array();
        bool ok = true;
        for (std::size_t i = 0; i < node.size(); ++i) {
            const YAML::Node item = node[i];
            auto v = value(item, item_schema, path + "[" + std::to_string(i) + "]", pointer / i,
                           item.Mark().is_null() ? where : at(file_, item.Mark()), secret || secret_items);
            if (!v) {
                ok = false;
                continue;
            }
            result.push_back(std::move(*v));
            if (secret_items) out_.secrets.push_back(pointer / i);
        }
        if (!ok) return std::nullopt;
        return result;
    }

    std::optional<json> mismatch(const YAML::Node& node, const std::string& expected, const std::string& path,
                                 const position& where) {
        error(where, path, "expected " + expected + ", got " + describe(node));
        return std::nullopt;
    }

    // Convert scalar text to the first of the schema's scalar types it reads as
    // (in scalar_order; text when the schema names no type), then check enum,
    // minimum and maximum.
    std::optional<json> typed(const std::string& text, const json& schema, const std::string& path,
                              const position& where, bool secret) {
        return typed(text, schema, subset::types_of(schema), path, where, secret);
    }
    std::optional<json> typed(const std::string& text, const json& schema, const std::vector<std::string>& types,
                              const std::string& path, const position& where, bool secret) {
        // A secret's text is never shown, even when it is malformed.
        const std::string got = secret ? "" : ", got " + quote(text);
        std::optional<json> v;
        if (types.empty()) v = to_json(text, std::string());
        for (std::string_view type : scalar_order)
            if (!v && std::find(types.begin(), types.end(), type) != types.end()) v = to_json(text, std::string(type));
        if (!v) {
            error(where, path, "expected " + expected_names(types) + got);
            return std::nullopt;
        }
        const std::string shown = secret ? std::string("the value") : v->dump();
        const json& allowed = member(schema, "enum");
        if (allowed.is_array() && std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
            std::string message = shown + " is not one of ";
            std::vector<std::string> names;
            for (std::size_t i = 0; i < allowed.size(); ++i) {
                message += (i == 0 ? "" : ", ") + allowed[i].dump();
                if (allowed[i].is_string()) names.push_back(allowed[i].get<std::string>());
            }
            if (auto match = secret ? std::nullopt : closest_match(text, names))
                message += "; did you mean " + quote(*match) + "?";
            error(where, path, message);
            return std::nullopt;
        }
        const json& minimum = member(schema, "minimum");
        const json& maximum = member(schema, "maximum");
        if (v->is_number() && minimum.is_number() && *v < minimum) {
            error(where, path, shown + " is less than the minimum " + minimum.dump());
            return std::nullopt;
        }
        if (v->is_number() && maximum.is_number() && *v > maximum) {
            error(where, path, shown + " is more than the maximum " + maximum.dump());
            return std::nullopt;
        }
        return v;
    }

    const settings_block& block_;
    const std::string& file_;
    problem_list& problems_;
    resolved_settings& out_;
};

}  // namespace

json resolved_settings::redacted() const {
    json copy = values;
    for (const auto& pointer : secrets)
        if (copy.contains(pointer)) copy[pointer] = "<secret>";
    return copy;
}

resolved_settings resolve_settings(const settings_block& block, const json& schema, problem_list& problems) {
    resolved_settings result;
    walker(block, problems, result).run(schema.is_object() ? schema : no_settings);
    return result;
}

resolved_settings resolve_repository_settings(const repository_config& repo, const json& schema,
                                              problem_list& problems) {
    // Storage plugins learn the location through a setting: "path" for a
    // local directory, "url" for anything else (docs/configuration.md).
    preset_values preset;
    preset.origin = "repository.location";
    const json& properties = member(schema, "properties");
    if (repo.scheme() == "file" && properties.contains("path")) {
        auto path = file_location_path(repo.location, std::filesystem::path(repo.location_at.file).parent_path());
        if (path) {
            preset.values["path"] = path->string();
        } else {
            problems.error(repo.location_at,
                           "repository.location: a file:// URL needs an absolute path, like file:///var/backups/holdfast");
            preset.failed.emplace_back("path");
        }
    } else if (properties.contains("url")) {
        preset.values["url"] = repo.location;
        if (redact_location(repo.location) != repo.location) preset.secrets.push_back(json::json_pointer("/url"));
    }
    resolved_settings result;
    walker(repo.settings, problems, result).run(schema.is_object() ? schema : no_settings, &preset);
    return result;
}

resolved_settings resolve_repository_settings(const repository_config& repo, const json& schema) {
    problem_list problems;
    auto result = resolve_repository_settings(repo, schema, problems);
    problems.throw_if_errors();
    problems.log_warnings();
    return result;
}

resolved_settings resolve_settings(const settings_block& block, const json& schema) {
    problem_list problems;
    auto result = resolve_settings(block, schema, problems);
    problems.throw_if_errors();
    problems.log_warnings();
    return result;
}

}  // namespace holdfast::config
