// The host's error types. Every error a user can cause carries the exit code
// the CLI returns for it (docs/cli.md lists them) and a one-line message that
// says what is wrong and what to do.
#pragma once

#include <stdexcept>
#include <string>

namespace holdfast {

// Documented exit codes of the holdfast executable.
enum class exit_code : int {
    success = 0,
    failure = 1,        // the operation failed
    usage = 2,          // bad command line or configuration
    plugin = 3,         // a plugin the command needs is missing or cannot load
    locked = 4,         // the repository is locked by another process
    check_failed = 5,   // check/verify ran and found problems
    interrupted = 130,  // stopped by SIGINT/SIGTERM
};

class error : public std::runtime_error {
public:
    explicit error(const std::string& message, exit_code code = exit_code::failure)
        : std::runtime_error(message), code_(code) {}
    exit_code code() const noexcept { return code_; }

private:
    exit_code code_;
};

// Bad command line or configuration (exit 2).
class usage_error : public error {
public:
    explicit usage_error(const std::string& message) : error(message, exit_code::usage) {}
};

// A plugin is missing or cannot be loaded (exit 3).
class plugin_unavailable : public error {
public:
    explicit plugin_unavailable(const std::string& message) : error(message, exit_code::plugin) {}
};

}  // namespace holdfast
