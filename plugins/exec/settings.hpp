// The exec engine's settings.
#pragma once

#include "command.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace holdfast::engines::exec {

struct settings {
    std::optional<command> backup_command;
    std::optional<command> restore_command;
    std::string stream_name = "stdout";
    // Added to the child's environment. Values are secrets: they go to the
    // child and nowhere else (no log, message, metadata or argv).
    std::vector<std::pair<std::string, std::string>> environment;
    std::filesystem::path working_directory;  // empty: the host's
    std::optional<std::chrono::milliseconds> timeout;

    // The PATH the child will see, for finding its program.
    std::string search_path() const;
};

// Throws plugin::error(HF_ERR_INVALID_ARGUMENT).
settings parse_settings(std::string_view json);

}  // namespace holdfast::engines::exec
