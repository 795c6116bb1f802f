// The repository layer's errors. All derive from holdfast::error, so the CLI maps them to
// exit codes without knowing this layer; every message is one line naming the object.
#pragma once

#include "core/error.hpp"

#include <string>

namespace holdfast::repository {

// Something about the repository is wrong or missing (exit 1).
class repository_error : public holdfast::error {
public:
    explicit repository_error(const std::string& message, exit_code code = exit_code::failure)
        : holdfast::error(message, code) {}
};

// An object failed an integrity check: authentication, id, name or structure. Always names
// the object (and the blob, for blobs). Never means "wrong bytes were returned".
class corruption_error : public repository_error {
public:
    using repository_error::repository_error;
};

// No key slot opens with the password (exit 1).
class wrong_password_error : public repository_error {
public:
    using repository_error::repository_error;
};

// Another process holds a conflicting lock (exit 4).
class lock_conflict_error : public repository_error {
public:
    explicit lock_conflict_error(const std::string& message)
        : repository_error(message, exit_code::locked) {}
};

}  // namespace holdfast::repository
