#include "settings.hpp"

#include <holdfast/plugin/json_fields.hpp>

#include <holdfast/plugin/common.hpp>

#include <string>

namespace holdfast::engines::sqlite {

using holdfast::plugin::error;

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

[[noreturn]] void bad_url(std::string_view url, std::string_view why) {
    throw error(HF_ERR_INVALID_ARGUMENT, "invalid sqlite URL \"" + std::string(url) + "\": " + std::string(why) +
                                             " (expected sqlite:///absolute/path/to/file.db)");
}

}  // namespace

std::filesystem::path path_from_url(std::string_view url) {
    constexpr std::string_view prefix = "sqlite://";
    if (url.size() < prefix.size() || url.substr(0, prefix.size()) != prefix) bad_url(url, "not a sqlite:// URL");
    std::string_view rest = url.substr(prefix.size());
    // sqlite://host/path would name a database on another machine: refuse it
    // rather than guess.
    if (rest.empty() || rest.front() != '/') bad_url(url, "a host is not allowed, the path must be absolute");
    if (rest.find_first_of("?#") != std::string_view::npos) bad_url(url, "query strings and fragments are not supported");

    std::string path;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] != '%') {
            path += rest[i];
            continue;
        }
        int high = i + 2 < rest.size() ? hex_value(rest[i + 1]) : -1;
        int low = i + 2 < rest.size() ? hex_value(rest[i + 2]) : -1;
        if (high < 0 || low < 0) bad_url(url, "bad percent escape");
        char decoded = static_cast<char>(high * 16 + low);
        if (decoded == '\0') bad_url(url, "%00 is not allowed in a path");
        path += decoded;
        i += 2;
    }
    if (path == "/" || path.back() == '/') bad_url(url, "the path names a directory, not a file");
    return std::filesystem::path(path).lexically_normal();
}

settings parse_settings(std::string_view json) {
    plugin::json_fields fields(json, "sqlite settings");
    auto path = fields.string("path");
    auto url = fields.string("url");
    fields.reject_unknown();

    if (path && path->find('\0') != std::string::npos)
        throw error(HF_ERR_INVALID_ARGUMENT, "sqlite settings: \"path\" contains a NUL byte");
    if (!path && !url) throw error(HF_ERR_INVALID_ARGUMENT, "sqlite settings: set \"path\" (or \"url\": sqlite:///path)");

    settings out;
    if (url) out.path = path_from_url(*url);
    if (path) {
        if (path->empty()) throw error(HF_ERR_INVALID_ARGUMENT, "sqlite settings: \"path\" is empty");
        std::filesystem::path given = std::filesystem::absolute(*path).lexically_normal();
        if (url && given != out.path)
            throw error(HF_ERR_INVALID_ARGUMENT, "sqlite settings: \"path\" and \"url\" name different files");
        out.path = given;
    }
    return out;
}

}  // namespace holdfast::engines::sqlite
