#include "plugins/manifest_options.hpp"

#include "plugins/settings_schema.hpp"

#include <algorithm>
#include <array>

namespace holdfast::plugins {
namespace {

using ordered_json = nlohmann::ordered_json;
using value_type = engine_option::value_type;

// The global options every command takes (cli/help.cpp): the dispatcher claims them before
// a command sees its arguments, so an engine option of that name could never be given.
constexpr std::array<std::string_view, 12> global_flags{"help",   "h", "version", "json",        "verbose",    "v",
                                                        "quiet",  "q", "config",  "plugin-path", "log-format", "log-level"};
constexpr std::size_t max_name = 64;

[[noreturn]] void fail(const std::string& reason) { throw manifest_error(reason); }

std::string in_quotes(std::string_view text) { return nlohmann::json(std::string(text)).dump(); }

bool lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// snake_case: what an engine reads as a JSON key.
bool valid_key(std::string_view key) {
    return !key.empty() && key.size() <= max_name && key.front() >= 'a' && key.front() <= 'z' &&
           std::all_of(key.begin(), key.end(), [](char c) { return lower_or_digit(c) || c == '_'; });
}

// What follows "--" on the command line.
bool valid_flag(std::string_view flag) {
    return !flag.empty() && flag.size() <= max_name && lower_or_digit(flag.front()) &&
           std::all_of(flag.begin(), flag.end(), [](char c) { return lower_or_digit(c) || c == '-'; });
}

bool is_global_flag(std::string_view flag) { return settings_schema::contains(global_flags, flag); }

value_type parse_type(const std::string& where, const ordered_json& option) {
    const std::string allowed = " (allowed: " + settings_schema::joined(option_type_names) + ")";
    auto it = option.find("type");
    if (it == option.end()) fail(where + ": missing \"type\"" + allowed);
    if (!it->is_string()) fail(where + ": \"type\" must be a type name" + allowed);
    const std::string& name = it->get_ref<const std::string&>();
    if (name == "boolean") return value_type::boolean;
    if (name == "string") return value_type::string;
    if (name == "integer") return value_type::integer;
    if (name == "array") return value_type::array;
    fail(where + ": unknown type " + in_quotes(name) + allowed);
}

std::string optional_text(const std::string& where, const ordered_json& option, const char* field) {
    auto it = option.find(field);
    if (it == option.end()) return {};
    std::string text = it->is_string() ? it->get<std::string>() : std::string();
    if (text.empty()) fail(where + ": \"" + field + "\" must be a non-empty string");
    return text;
}

engine_option parse_option(const std::string& where, std::string_view command, const std::string& key,
                           const ordered_json& option, bool strict) {
    if (!valid_key(key))
        fail(where + ": an option's name must be snake_case (a-z, 0-9 and '_', starting with a letter, at most 64 "
                     "characters): it is the JSON key the engine receives");
    if (!option.is_object()) fail(where + " must be an object with \"type\" and \"description\"");
    if (strict)
        for (const auto& [field, value] : option.items())
            if (!settings_schema::contains(option_fields, field))
                fail(where + ": unknown field " + in_quotes(field) + " (allowed: " +
                     settings_schema::joined(option_fields) + ")");

    engine_option o;
    o.key = key;
    o.type = parse_type(where, option);
    auto description = option.find("description");
    if (description == option.end()) fail(where + ": missing \"description\" (--help shows it)");
    if (!description->is_string()) fail(where + ": \"description\" must be a string");
    o.description = description->get<std::string>();

    o.flag = optional_text(where, option, "flag");
    if (o.flag.empty()) {
        o.flag = key;
        std::replace(o.flag.begin(), o.flag.end(), '_', '-');
    } else if (!valid_flag(o.flag)) {
        fail(where + ": \"flag\" must be the option's name without dashes: a-z, 0-9 and '-', like \"exclude-table\" (got " +
             in_quotes(o.flag) + ")");
    }
    if (is_global_flag(o.flag))
        fail(where + ": --" + o.flag + " is a global option of holdfast; choose another \"flag\"");

    o.value_name = optional_text(where, option, "value_name");
    if (!o.value_name.empty() && o.type == value_type::boolean)
        fail(where + ": \"value_name\" applies only to options that take a value, not to type \"boolean\"");

    if (auto format = option.find("format"); format != option.end()) {
        if (*format != "path") fail(where + ": \"format\" must be \"path\" (the only format this host knows)");
        if (o.type != value_type::string && o.type != value_type::array)
            fail(where + ": \"format\" applies only to type \"string\" or \"array\", not \"" +
                 std::string(to_string(o.type)) + "\"");
        o.path = true;
    }
    if (auto standalone = option.find("standalone"); standalone != option.end()) {
        if (!standalone->is_boolean()) fail(where + ": \"standalone\" must be true or false");
        if (command != "restore" && standalone->get<bool>())
            fail(where + ": \"standalone\" applies only to restore options (a restore without a snapshot)");
        o.standalone = standalone->get<bool>();
    }
    return o;
}

std::vector<engine_option> parse_command(const std::string& where, std::string_view command,
                                         const ordered_json& declared, bool strict) {
    if (!declared.is_object()) fail(where + " must be an object of options by name");
    std::vector<engine_option> out;
    for (const auto& [key, option] : declared.items()) {
        engine_option o = parse_option(where + "." + key, command, key, option, strict);
        auto same = std::find_if(out.begin(), out.end(), [&](const engine_option& other) { return other.flag == o.flag; });
        if (same != out.end())
            fail(where + "." + key + ": --" + o.flag + " is also the flag of " + in_quotes(same->key) +
                 "; give one of them another \"flag\"");
        out.push_back(std::move(o));
    }
    return out;
}

}  // namespace

std::string_view to_string(engine_option::value_type type) {
    switch (type) {
        case value_type::boolean: return "boolean";
        case value_type::string: return "string";
        case value_type::integer: return "integer";
        case value_type::array: return "array";
    }
    return "string";
}

option_table parse_engine_options(const ordered_json& options, bool strict) {
    const std::string commands = settings_schema::joined(option_commands);
    if (!options.is_object()) fail("field \"options\" must be an object with commands (" + commands + ") as keys");
    option_table table;
    for (const auto& [command, declared] : options.items()) {
        if (!settings_schema::contains(option_commands, command)) {
            if (strict) fail("options: unknown command " + in_quotes(command) + " (allowed: " + commands + ")");
            continue;  // a newer format's command: not for this host
        }
        table[command] = parse_command("options." + command, command, declared, strict);
    }
    return table;
}

}  // namespace holdfast::plugins
