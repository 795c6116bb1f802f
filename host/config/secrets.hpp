// Secrets: a value given in the configuration as X, or obtained through
//   X_env: VAR          from environment variable VAR
//   X_file: /path       from the file's content (one trailing newline dropped)
//   X_command: "cmd"    from the standard output of `/bin/sh -c cmd`
// A secret's value is never printed, logged or put in a message: problems name
// the key and what went wrong, nothing else.
#pragma once

#include "config/config.hpp"
#include "config/problems.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace holdfast::config {

// "password_env" -> {"password", env}; nullopt for a key without a secret suffix.
struct secret_key {
    std::string_view base;
    secret_source::kind from;
};
std::optional<secret_key> split_secret_key(std::string_view key);

// The value of `secret`, or nullopt after reporting why it cannot be had.
// `label` names the key in messages, e.g. `repository.password_command`.
// Relative file paths are taken from the configuration file's directory. A
// secret file readable by group or others gets a warning.
std::optional<std::string> reveal(const secret_source& secret, const std::string& label, problem_list& problems);

// The repository password, or nullopt when the configuration gives none.
// Throws config_error when it cannot be obtained.
std::optional<std::string> repository_password(const config& cfg);

}  // namespace holdfast::config
