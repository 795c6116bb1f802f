// Restore: receive the "database" stream next to the target, check it, and
// swap it in (replace.hpp).
#pragma once

#include <holdfast/plugin/engine.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace holdfast::engines::sqlite {

struct restore_options {
    std::optional<std::filesystem::path> target;  // default: the source's path
    bool keep_previous = true;
    bool dry_run = false;
};

// {"target": "/path", "keep_previous": bool, "dry_run": bool}; unknown keys are an error.
restore_options parse_restore_options(std::string_view json);

// Returns the JSON report.
std::string run_restore(const std::filesystem::path& source_path, const restore_options& options,
                        holdfast::plugin::restore_source& source, const holdfast::plugin::host_services& host);

}  // namespace holdfast::engines::sqlite
