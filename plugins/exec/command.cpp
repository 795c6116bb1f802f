#include "command.hpp"

#include <holdfast/plugin/common.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>

namespace holdfast::engines::exec {

using holdfast::plugin::error;
namespace fs = std::filesystem;

namespace {

bool is_assignment(std::string_view word) {
    auto eq = word.find('=');
    if (eq == 0 || eq == std::string_view::npos) return false;
    return std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(eq), [](char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
}

// Whitespace-separated words up to the first operator; quotes are stripped,
// which is enough to name a command, not to parse shell.
std::vector<std::string> leading_words(std::string_view script) {
    std::vector<std::string> words;
    std::string word;
    for (char c : script) {
        if (c == ';' || c == '|' || c == '&' || c == '<' || c == '>' || c == '(' || c == ')' || c == '\n') break;
        if (c == ' ' || c == '\t') {
            if (!word.empty()) words.push_back(std::exchange(word, {}));
            continue;
        }
        if (c != '"' && c != '\'') word += c;
    }
    if (!word.empty()) words.push_back(word);
    return words;
}

bool executable_file(const fs::path& file) {
    struct stat st {};
    return ::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(file.c_str(), X_OK) == 0;
}

}  // namespace

std::string command::name() const {
    if (kind == form::argv) return argv.front();
    for (const auto& word : leading_words(script))
        if (!is_assignment(word) && word != "exec") return word;
    return "sh";
}

std::vector<std::string> command::exec_argv() const {
    if (kind == form::argv) return argv;
    return {shell_path, "-c", script};
}

command parse_command(const nlohmann::json& value, std::string_view setting) {
    const std::string where = "exec settings: \"" + std::string(setting) + "\"";
    auto check_text = [&](const std::string& text) {
        if (text.find('\0') != std::string::npos) throw error(HF_ERR_INVALID_ARGUMENT, where + " contains a NUL byte");
    };
    command out;
    if (value.is_string()) {
        out.kind = command::form::shell;
        out.script = value.get<std::string>();
        check_text(out.script);
        if (out.script.find_first_not_of(" \t\n") == std::string::npos)
            throw error(HF_ERR_INVALID_ARGUMENT, where + " is empty");
        return out;
    }
    if (!value.is_array() || value.empty())
        throw error(HF_ERR_INVALID_ARGUMENT,
                    where + " must be a non-empty array of strings (run directly) or a string (run by /bin/sh -c)");
    for (const auto& item : value) {
        if (!item.is_string()) throw error(HF_ERR_INVALID_ARGUMENT, where + " must contain strings only");
        out.argv.push_back(item.get<std::string>());
        check_text(out.argv.back());
    }
    if (out.argv.front().empty()) throw error(HF_ERR_INVALID_ARGUMENT, where + ": the program name is empty");
    return out;
}

std::optional<fs::path> find_executable(std::string_view name, std::string_view path_variable,
                                        const fs::path& working_directory) {
    if (name.empty()) return std::nullopt;
    if (name.find('/') != std::string_view::npos) {
        fs::path file(name);
        if (file.is_relative() && !working_directory.empty()) file = working_directory / file;
        if (executable_file(file)) return fs::absolute(file);
        return std::nullopt;
    }
    std::size_t start = 0;
    for (;;) {
        std::size_t end = path_variable.find(':', start);
        std::string_view dir = path_variable.substr(start, end == std::string_view::npos ? end : end - start);
        // An empty PATH entry means the current directory (POSIX).
        fs::path base = dir.empty() ? (working_directory.empty() ? fs::current_path() : working_directory) : fs::path(dir);
        if (base.is_relative() && !working_directory.empty()) base = working_directory / base;
        fs::path candidate = base / std::string(name);
        if (executable_file(candidate)) return fs::absolute(candidate);
        if (end == std::string_view::npos) return std::nullopt;
        start = end + 1;
    }
}

bool shell_handles_itself(std::string_view word) {
    static constexpr std::array<std::string_view, 24> builtins = {
        "cd", "set", "export", "if", "for", "while", "until", "case", "{", "!", ".", ":",
        "eval", "trap", "umask", "unset", "shift", "read", "wait", "exit", "return", "ulimit", "command", "source"};
    if (word.empty() || word.find_first_of("$`*?[~") != std::string_view::npos) return true;
    return std::find(builtins.begin(), builtins.end(), word) != builtins.end();
}

}  // namespace holdfast::engines::exec
