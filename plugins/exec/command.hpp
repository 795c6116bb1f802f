// A configured command: an argv run directly, or a script run by /bin/sh -c;
// its display name; and the PATH lookup both the probe and the run use.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::engines::exec {

inline constexpr const char* shell_path = "/bin/sh";

struct command {
    enum class form { argv, shell };
    form kind = form::argv;
    std::vector<std::string> argv;  // form::argv
    std::string script;             // form::shell

    // For messages and metadata: argv[0], or the script's first word that is
    // not a NAME=value assignment (which may hold a secret) or `exec`. Never
    // any argument.
    std::string name() const;
    // What is executed: the argv, or {"/bin/sh", "-c", script}.
    std::vector<std::string> exec_argv() const;
    std::string_view form_name() const { return kind == form::argv ? "argv" : "shell"; }
};

// An array of strings (argv) or a string (shell). `setting` names it in errors.
command parse_command(const nlohmann::json& value, std::string_view setting);

// Like execvp's search, but through `path_variable` (the child's PATH): a name
// containing '/' is taken as is (relative to `working_directory`, when set).
// Returns an existing, executable regular file.
std::optional<std::filesystem::path> find_executable(std::string_view name, std::string_view path_variable,
                                                     const std::filesystem::path& working_directory);

// True for words a shell runs itself (builtins, keywords), or that it expands
// first: no file on PATH to look for.
bool shell_handles_itself(std::string_view word);

}  // namespace holdfast::engines::exec
