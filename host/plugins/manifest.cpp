// Reading and validating plugin manifests by hand, so that every problem is
// reported as one line an operator can act on (a JSON Schema validator's
// output is neither short nor stable). manifests/manifest.schema.json
// describes the same rules for editors and plugin authors.
#include "plugins/manifest.hpp"

#include "plugins/manifest_options.hpp"
#include "plugins/settings_schema.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

namespace holdfast::plugins {
namespace {

using json = nlohmann::json;

// The newest manifest format minor version this host knows. A manifest that
// declares this minor or an older one must not contain fields we do not know
// (they are typos); a newer minor may add fields, which we then ignore.
// 1.1 added "options" (engines' command-line options).
constexpr int manifest_format_minor = 1;

constexpr std::uintmax_t max_manifest_bytes = 1024 * 1024;

[[noreturn]] void fail(const std::string& reason) { throw manifest_error(reason); }

std::string in_quotes(std::string_view text) { return json(std::string(text)).dump(); }

// Splits "1.2.3" (or "1.2" when `parts` is 2) into numbers; nullopt when the
// text is not exactly `parts` dot-separated decimal numbers.
template <std::size_t parts>
std::optional<std::array<int, parts>> parse_version(std::string_view text) {
    std::array<int, parts> out{};
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (std::size_t i = 0; i < parts; ++i) {
        if (i > 0) {
            if (p == end || *p != '.') return std::nullopt;
            ++p;
        }
        if (p == end || *p < '0' || *p > '9') return std::nullopt;
        auto [next, ec] = std::from_chars(p, end, out[i]);
        if (ec != std::errc()) return std::nullopt;
        p = next;
    }
    if (p != end) return std::nullopt;
    return out;
}

bool valid_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!lower_or_digit(name.front())) return false;
    return std::all_of(name.begin(), name.end(), [&](char c) { return lower_or_digit(c) || c == '_' || c == '-'; });
}

// RFC 3986 scheme, restricted to lower case because the host compares schemes
// after lower-casing the URL's.
bool valid_scheme(std::string_view scheme) {
    if (scheme.empty() || scheme.front() < 'a' || scheme.front() > 'z') return false;
    return std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    });
}

// "invalid JSON at line L, column C: <what nlohmann says>".
[[noreturn]] void fail_parse(const json::parse_error& e, std::string_view text) {
    const std::string what = e.what();
    static const std::regex position(R"(at line (\d+), column (\d+): (.*))");
    std::smatch m;
    if (std::regex_search(what, m, position))
        fail("invalid JSON at line " + m[1].str() + ", column " + m[2].str() + ": " + m[3].str());
    // Older library versions give only a byte offset: count lines ourselves.
    std::size_t upto = std::min<std::size_t>(e.byte, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < upto; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    fail("invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what);
}

class field_reader {
public:
    field_reader(const json& object, bool strict) : object_(object), strict_(strict) {}

    const json* optional(std::string_view key) {
        seen_.emplace_back(key);
        auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }
    const json& required(std::string_view key) {
        const json* value = optional(key);
        if (value == nullptr) fail("missing required field " + in_quotes(key));
        return *value;
    }
    std::string required_string(std::string_view key) {
        const json& value = required(key);
        if (!value.is_string() || value.get_ref<const std::string&>().empty())
            fail("field " + in_quotes(key) + " must be a non-empty string");
        return value.get<std::string>();
    }
    std::string optional_string(std::string_view key) {
        const json* value = optional(key);
        if (value == nullptr) return {};
        if (!value->is_string()) fail("field " + in_quotes(key) + " must be a string");
        return value->get<std::string>();
    }
    std::vector<std::string> optional_strings(std::string_view key) {
        const json* value = optional(key);
        if (value == nullptr) return {};
        auto not_string = [](const json& item) {
            return !item.is_string() || item.get_ref<const std::string&>().empty();
        };
        if (!value->is_array() || std::any_of(value->begin(), value->end(), not_string))
            fail("field " + in_quotes(key) + " must be an array of strings");
        return value->get<std::vector<std::string>>();
    }
    // Called after every known field was read.
    void reject_unknown(std::string_view where) const {
        if (!strict_) return;
        for (const auto& [key, value] : object_.items()) {
            if (key == "$schema" || std::find(seen_.begin(), seen_.end(), key) != seen_.end()) continue;
            fail(std::string(where) + "unknown field " + in_quotes(key));
        }
    }

private:
    const json& object_;
    bool strict_;
    std::vector<std::string> seen_;
};

// ---- the settings schema subset (plugins/settings_schema.hpp) ----------------

namespace subset = settings_schema;

// Deeper than any real settings object; keeps a hostile manifest from
// exhausting the stack.
constexpr int max_schema_depth = 32;

// "\"integer\"", or "\"array\" or \"string\"".
std::string type_list(const std::vector<std::string>& types) {
    std::string out;
    for (const auto& type : types) out += (out.empty() ? "" : " or ") + in_quotes(type);
    return out;
}

// Where inside a value it does not fit its schema, and how; both empty when it fits.
struct misfit {
    std::string inside;  // "" for the value itself, else "item 2", "property \"rows\"", ...
    std::string how;     // "is not of type \"integer\"", ...
    explicit operator bool() const { return !how.empty(); }
};

// Checks `value` (a "default" or "enum" value) against a schema whose keywords
// were checked already: types, enum (when `with_enum`), minimum, maximum, and
// items and listed properties, recursively.
misfit fit(const json& value, const json& schema, bool with_enum = true) {
    const auto types = subset::types_of(schema);
    if (!subset::matches_any(value, types)) return {"", "is not of type " + type_list(types)};
    if (auto it = schema.find("enum"); with_enum && it != schema.end() && it->is_array() &&
                                       std::find(it->begin(), it->end(), value) == it->end())
        return {"", "is not one of \"enum\""};
    if (value.is_number()) {
        if (auto it = schema.find("minimum"); it != schema.end() && it->is_number() && value < *it)
            return {"", "is less than \"minimum\" " + it->dump()};
        if (auto it = schema.find("maximum"); it != schema.end() && it->is_number() && value > *it)
            return {"", "is more than \"maximum\" " + it->dump()};
    }
    auto nested = [](std::string outer, const misfit& inner) {
        return misfit{inner.inside.empty() ? outer : outer + " " + inner.inside, inner.how};
    };
    if (auto items = schema.find("items"); value.is_array() && items != schema.end() && items->is_object())
        for (std::size_t i = 0; i < value.size(); ++i)
            if (misfit m = fit(value[i], *items)) return nested("item " + std::to_string(i), m);
    if (auto properties = schema.find("properties"); value.is_object() && properties != schema.end() &&
                                                     properties->is_object())
        for (const auto& [key, member] : value.items())
            if (auto property = properties->find(key); property != properties->end())
                if (misfit m = fit(member, *property)) return nested("property " + in_quotes(key), m);
    return {};
}

// "\"default\" 80 is more than \"maximum\" 10", "\"default\" [1]: item 0 is not of type \"string\"".
std::string describe(const std::string& label, const json& value, const misfit& m) {
    return label + " " + value.dump() + (m.inside.empty() ? " " : ": " + m.inside + " ") + m.how;
}

std::vector<std::string> checked_types(const std::string& where, const json& type) {
    const std::string allowed = " (allowed: " + subset::joined(subset::type_names) + ")";
    auto name_of = [&](const json& name) -> std::string {
        if (!name.is_string()) fail(where + ": \"type\" must be a type name or an array of type names" + allowed);
        const std::string& text = name.get_ref<const std::string&>();
        if (!subset::is_type_name(text)) fail(where + ": unknown type " + in_quotes(text) + allowed);
        return text;
    };
    std::vector<std::string> types;
    if (!type.is_array()) {
        types.push_back(name_of(type));
        return types;
    }
    if (type.empty()) fail(where + ": \"type\" must not be an empty array" + allowed);
    for (const auto& name : type) {
        std::string text = name_of(name);
        if (std::find(types.begin(), types.end(), text) != types.end())
            fail(where + ": \"type\" lists " + in_quotes(text) + " twice");
        types.push_back(std::move(text));
    }
    return types;
}

enum class schema_place { top_level, property, other };

// One schema of the subset: the settings object itself (top_level), a setting
// listed in "properties" (property), or the schema of array items or of
// unlisted properties (other). `where` names it in messages:
// "settings.properties.port.items". In a newer format minor (`strict` false)
// unknown keywords are ignored; known ones are always checked.
void check_schema(const std::string& where, const json& schema, bool strict, schema_place place, int depth) {
    if (depth > max_schema_depth)
        fail(where + ": settings nested more than " + std::to_string(max_schema_depth) + " levels deep");
    if (!schema.is_object()) fail(where + " must be an object (a settings schema)");
    const bool top = place == schema_place::top_level;
    auto known = [&](std::string_view keyword) {
        return top ? subset::contains(subset::top_level_keywords, keyword) : subset::is_keyword(keyword);
    };
    if (strict) {
        for (const auto& [key, value] : schema.items())
            if (!known(key))
                fail(where + ": unsupported keyword " + in_quotes(key) + " (allowed" + (top ? " here" : "") + ": " +
                     (top ? subset::joined(subset::top_level_keywords) : subset::joined(subset::keywords)) + ")");
    }
    auto keyword = [&](std::string_view name) -> const json* {
        if (!known(name)) return nullptr;
        auto it = schema.find(name);
        return it == schema.end() ? nullptr : &*it;
    };

    const json* type = keyword("type");
    if (top && (type == nullptr || *type != "object")) fail(where + ": \"type\" must be \"object\"");
    if (type == nullptr) fail(where + ": missing \"type\"");
    const std::vector<std::string> types = checked_types(where, *type);
    auto requires_type = [&](std::string_view name, std::initializer_list<std::string_view> needed) -> const json* {
        const json* value = keyword(name);
        if (value == nullptr) return nullptr;
        for (std::string_view t : needed)
            if (std::find(types.begin(), types.end(), t) != types.end()) return value;
        std::string needed_list;
        for (std::string_view t : needed) needed_list += (needed_list.empty() ? "" : " or ") + in_quotes(t);
        fail(where + ": \"" + std::string(name) + "\" applies only to type " + needed_list + ", not " +
             type_list(types));
    };

    if (const json* d = keyword("description"); d != nullptr && !d->is_string())
        fail(where + ": \"description\" must be a string");
    if (const json* secret = keyword("secret"); secret != nullptr && !secret->is_boolean())
        fail(where + ": \"secret\" must be true or false");

    const json* properties = requires_type("properties", {"object"});
    if (properties != nullptr) {
        if (!properties->is_object()) fail(where + ": \"properties\" must be an object");
        for (const auto& [key, property] : properties->items())
            check_schema(where + ".properties." + key, property, strict, schema_place::property, depth + 1);
    }
    if (const json* required = requires_type("required", {"object"}); required != nullptr) {
        if (!required->is_array()) fail(where + ": \"required\" must be an array of property names");
        for (const auto& name : *required) {
            if (!name.is_string()) fail(where + ": \"required\" must be an array of property names");
            if (properties == nullptr || !properties->contains(name.get<std::string>()))
                fail(where + ": required setting " + name.dump() + " is not in \"properties\"");
        }
    }
    if (const json* extra = requires_type("additionalProperties", {"object"}); extra != nullptr) {
        if (extra->is_object())
            check_schema(where + ".additionalProperties", *extra, strict, schema_place::other, depth + 1);
        else if (!extra->is_boolean())
            fail(where + ": \"additionalProperties\" must be true, false or a settings schema");
    }
    if (const json* items = requires_type("items", {"array"}); items != nullptr) {
        if (!items->is_object()) fail(where + ": \"items\" must be a settings schema (an object)");
        check_schema(where + ".items", *items, strict, schema_place::other, depth + 1);
    }
    const json* minimum = requires_type("minimum", {"integer", "number"});
    const json* maximum = requires_type("maximum", {"integer", "number"});
    if (minimum != nullptr && !minimum->is_number()) fail(where + ": \"minimum\" must be a number");
    if (maximum != nullptr && !maximum->is_number()) fail(where + ": \"maximum\" must be a number");
    if (minimum != nullptr && maximum != nullptr && *minimum > *maximum)
        fail(where + ": \"minimum\" " + minimum->dump() + " is more than \"maximum\" " + maximum->dump());

    if (const json* allowed = keyword("enum"); allowed != nullptr) {
        if (!allowed->is_array() || allowed->empty()) fail(where + ": \"enum\" must be a non-empty array");
        for (const auto& value : *allowed)
            if (misfit m = fit(value, schema, /*with_enum=*/false)) fail(where + ": " + describe("\"enum\" value", value, m));
    }
    if (const json* value = keyword("default"); value != nullptr) {
        // Only a listed property's default is ever used.
        if (place != schema_place::property)
            fail(where + ": \"default\" has no effect here (only settings listed in \"properties\" take a default)");
        if (misfit m = fit(*value, schema)) fail(where + ": " + describe("\"default\"", *value, m));
    }
}

void check_settings(const json& settings, bool strict) {
    if (!settings.is_object()) fail("field \"settings\" must be an object (a JSON Schema of type object)");
    check_schema("settings", settings, strict, schema_place::top_level, 0);
}

std::string read_file(const std::filesystem::path& file) {
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    if (ec) fail("cannot read the manifest: " + ec.message());
    if (size > max_manifest_bytes) fail("the manifest is larger than 1 MiB");
    std::ifstream in(file, std::ios::binary);
    if (!in) fail(std::string("cannot read the manifest: ") + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) fail("cannot read the manifest: read error");
    return std::move(text).str();
}

}  // namespace

std::string_view to_string(plugin_kind kind) { return kind == plugin_kind::engine ? "engine" : "storage"; }

std::optional<plugin_kind> parse_kind(std::string_view text) {
    if (text == "engine") return plugin_kind::engine;
    if (text == "storage") return plugin_kind::storage;
    return std::nullopt;
}

bool manifest::serves(std::string_view scheme) const {
    return std::find(schemes.begin(), schemes.end(), scheme) != schemes.end();
}

bool manifest::has_capability(std::string_view capability) const {
    return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

const std::vector<engine_option>& manifest::options_for(std::string_view command) const {
    static const std::vector<engine_option> none;
    auto it = options.find(command);
    return it == options.end() ? none : it->second;
}

manifest parse_manifest(std::string_view text, const std::filesystem::path& file) {
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& e) {
        fail_parse(e, text);
    }
    if (!root.is_object()) fail("the manifest must be a JSON object");

    manifest m;
    m.file = std::filesystem::absolute(file).lexically_normal();

    // The format version decides how strictly the rest is read, so it comes first.
    auto format_it = root.find("file_format_version");
    if (format_it == root.end()) fail("missing required field \"file_format_version\"");
    if (!format_it->is_string()) fail("field \"file_format_version\" must be a string like \"1.0.0\"");
    m.file_format_version = format_it->get<std::string>();
    auto format = parse_version<3>(m.file_format_version);
    if (!format)
        fail("field \"file_format_version\" must be MAJOR.MINOR.PATCH, like \"1.0.0\" (got " +
             in_quotes(m.file_format_version) + ")");
    if ((*format)[0] != manifest_format_major)
        fail("unsupported file_format_version " + in_quotes(m.file_format_version) + ": this host reads version " +
             std::to_string(manifest_format_major) + ".x manifests");
    const bool strict = (*format)[1] <= manifest_format_minor;

    field_reader fields(root, strict);
    fields.required("file_format_version");

    m.name = fields.required_string("name");
    if (!valid_name(m.name))
        fail("field \"name\" must be 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit (got " +
             in_quotes(m.name) + ")");

    const json& kind = fields.required("kind");
    auto parsed_kind = kind.is_string() ? parse_kind(kind.get<std::string>()) : std::nullopt;
    if (!parsed_kind) fail("field \"kind\" must be \"engine\" or \"storage\" (got " + kind.dump() + ")");
    m.kind = *parsed_kind;

    std::filesystem::path library = fields.required_string("library_path");
    m.library = (library.is_absolute() ? library : m.file.parent_path() / library).lexically_normal();

    std::string abi = fields.required_string("abi_version");
    auto abi_version = parse_version<2>(abi);
    if (!abi_version) fail("field \"abi_version\" must be MAJOR.MINOR, like \"1.0\" (got " + in_quotes(abi) + ")");
    m.abi_major = (*abi_version)[0];
    m.abi_minor = (*abi_version)[1];

    m.version = fields.required_string("version");
    m.description = fields.optional_string("description");

    m.schemes = fields.optional_strings("schemes");
    for (const auto& scheme : m.schemes)
        if (!valid_scheme(scheme))
            fail("field \"schemes\": " + in_quotes(scheme) +
                 " is not a URL scheme (lower-case letter, then letters, digits, '+', '-' or '.')");
    m.capabilities = fields.optional_strings("capabilities");

    if (const json* settings = fields.optional("settings"); settings != nullptr) {
        check_settings(*settings, strict);
        m.settings_schema = *settings;
    } else {
        // No settings section: the plugin takes no settings.
        m.settings_schema = {{"type", "object"}, {"properties", json::object()}, {"additionalProperties", false}};
    }
    if (const json* options = fields.optional("options"); options != nullptr) {
        if ((*format)[1] < 1)
            fail("field \"options\" needs file_format_version 1.1.0 or later (this manifest says " +
                 in_quotes(m.file_format_version) + ")");
        if (m.kind != plugin_kind::engine) fail("field \"options\" is for engines; a storage plugin takes none");
        // Read again with the keys in the manifest's order: --help lists options that way.
        m.options = parse_engine_options(nlohmann::ordered_json::parse(text).at("options"), strict);
    }
    fields.reject_unknown("");
    return m;
}

manifest read_manifest(const std::filesystem::path& file) { return parse_manifest(read_file(file), file); }

}  // namespace holdfast::plugins
