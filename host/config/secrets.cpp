#include "config/secrets.hpp"

#include "config/shell_command.hpp"
#include "config/yaml_nodes.hpp"

#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace holdfast::config {
namespace {

constexpr std::array<std::pair<std::string_view, secret_source::kind>, 3> suffixes{{
    {"_env", secret_source::kind::env},
    {"_file", secret_source::kind::file},
    {"_command", secret_source::kind::command},
}};

// A secret is usually one line, and files and commands add a newline.
std::string without_trailing_newline(std::string text) {
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return text;
}

std::optional<std::string> from_environment(const secret_source& secret, const std::string& label,
                                            problem_list& problems) {
    const char* value = std::getenv(secret.text.c_str());
    if (value == nullptr) {
        problems.error(secret.where, label + ": environment variable " + quote(secret.text) + " is not set");
        return std::nullopt;
    }
    if (*value == '\0') {
        problems.error(secret.where, label + ": environment variable " + quote(secret.text) + " is empty");
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> from_file(const secret_source& secret, const std::string& label, problem_list& problems) {
    std::filesystem::path path = secret.text;
    if (path.is_relative()) path = std::filesystem::path(secret.where.file).parent_path() / path;
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        problems.error(secret.where, label + ": cannot read " + path.string() + ": " + std::strerror(errno));
        return std::nullopt;
    }
    if (!S_ISREG(info.st_mode)) {
        problems.error(secret.where, label + ": " + path.string() + " is not a regular file");
        return std::nullopt;
    }
    if ((info.st_mode & (S_IRGRP | S_IROTH)) != 0)
        problems.warning(secret.where, label + ": " + path.string() +
                                           " is readable by group or others; restrict it with chmod go-rwx");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    if (in) content << in.rdbuf();
    if (!in || in.bad()) {
        problems.error(secret.where, label + ": cannot read " + path.string() + ": " + std::strerror(errno));
        return std::nullopt;
    }
    std::string value = without_trailing_newline(std::move(content).str());
    if (value.empty()) {
        problems.error(secret.where, label + ": " + path.string() + " is empty");
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> from_command(const secret_source& secret, const std::string& label,
                                        problem_list& problems) {
    auto result = run_shell_command(secret.text);
    if (const auto* failure = std::get_if<command_failure>(&result)) {
        // The reason only: the output may hold part of the secret.
        problems.error(secret.where, label + ": the command " + failure->reason);
        return std::nullopt;
    }
    std::string value = without_trailing_newline(std::get<std::string>(std::move(result)));
    if (value.empty()) {
        problems.error(secret.where, label + ": the command printed nothing");
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::optional<secret_key> split_secret_key(std::string_view key) {
    for (const auto& [suffix, kind] : suffixes)
        if (key.size() > suffix.size() && key.ends_with(suffix)) return secret_key{key.substr(0, key.size() - suffix.size()), kind};
    return std::nullopt;
}

std::optional<std::string> reveal(const secret_source& secret, const std::string& label, problem_list& problems) {
    switch (secret.from) {
        case secret_source::kind::literal: return secret.text;
        case secret_source::kind::env: return from_environment(secret, label, problems);
        case secret_source::kind::file: return from_file(secret, label, problems);
        case secret_source::kind::command: return from_command(secret, label, problems);
    }
    return std::nullopt;
}

std::optional<std::string> repository_password(const config& cfg) {
    if (!cfg.repository || !cfg.repository->password) return std::nullopt;
    problem_list problems;
    auto value = reveal(*cfg.repository->password, "repository." + cfg.repository->password->key, problems);
    problems.throw_if_errors();
    problems.log_warnings();
    return value;
}

}  // namespace holdfast::config
