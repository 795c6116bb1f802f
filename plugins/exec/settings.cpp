#include "settings.hpp"

#include <holdfast/plugin/json_fields.hpp>

#include <holdfast/client/engine.hpp>  // valid_stream_name: the host's own rule
#include <holdfast/plugin/common.hpp>

#include <cmath>
#include <cstdlib>

namespace holdfast::engines::exec {

using holdfast::plugin::error;

namespace {

std::vector<std::pair<std::string, std::string>> parse_environment(const nlohmann::json& value) {
    if (!value.is_object())
        throw error(HF_ERR_INVALID_ARGUMENT, "exec settings: \"environment\" must be an object of strings");
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [name, text] : value.items()) {
        // Messages name the variable, never its value.
        if (name.empty() || name.find_first_of(std::string_view("=\0", 2)) != std::string::npos)
            throw error(HF_ERR_INVALID_ARGUMENT, "exec settings: environment variable name \"" + name + "\" is invalid");
        if (!text.is_string())
            throw error(HF_ERR_INVALID_ARGUMENT, "exec settings: environment variable " + name + " must be a string");
        std::string content = text.get<std::string>();
        if (content.find('\0') != std::string::npos)
            throw error(HF_ERR_INVALID_ARGUMENT, "exec settings: environment variable " + name + " contains a NUL byte");
        out.emplace_back(name, std::move(content));
    }
    return out;
}

}  // namespace

std::string settings::search_path() const {
    for (const auto& [name, value] : environment)
        if (name == "PATH") return value;
    const char* inherited = std::getenv("PATH");
    return inherited != nullptr ? inherited : "/usr/local/bin:/usr/bin:/bin";
}

settings parse_settings(std::string_view json) {
    plugin::json_fields fields(json, "exec settings");
    settings out;
    if (const auto* value = fields.raw("backup_command")) out.backup_command = parse_command(*value, "backup_command");
    if (const auto* value = fields.raw("restore_command")) out.restore_command = parse_command(*value, "restore_command");
    if (auto name = fields.string("stream_name")) {
        if (!holdfast::client::valid_stream_name(*name))
            throw error(HF_ERR_INVALID_ARGUMENT, "exec settings: \"stream_name\" \"" + *name +
                                                     "\" is not a valid stream name (1..255 bytes, '.'-separated "
                                                     "segments, no '/' or '\\\\')");
        out.stream_name = *name;
    }
    if (const auto* value = fields.raw("environment")) out.environment = parse_environment(*value);
    if (auto dir = fields.string("working_directory")) {
        if (dir->empty() || dir->find('\0') != std::string::npos)
            throw error(HF_ERR_INVALID_ARGUMENT, "exec settings: \"working_directory\" must be a directory path");
        out.working_directory = std::filesystem::absolute(*dir).lexically_normal();
    }
    if (auto seconds = fields.number("timeout_seconds")) {
        if (!std::isfinite(*seconds) || *seconds <= 0 || *seconds > 30.0 * 24 * 3600)
            throw error(HF_ERR_INVALID_ARGUMENT, "exec settings: \"timeout_seconds\" must be > 0 (and at most 30 days)");
        out.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(*seconds * 1000)));
    }
    if (fields.raw("url") != nullptr)
        throw error(HF_ERR_INVALID_ARGUMENT, "exec settings: the exec engine is not named by a URL; "
                                             "configure backup_command/restore_command instead");
    fields.reject_unknown();
    if (!out.backup_command && !out.restore_command)
        throw error(HF_ERR_INVALID_ARGUMENT, "exec settings: set \"backup_command\" and/or \"restore_command\"");
    return out;
}

}  // namespace holdfast::engines::exec
