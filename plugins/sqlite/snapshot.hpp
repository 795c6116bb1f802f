// Backup: a consistent copy of the live database through SQLite's online
// backup API, streamed into the sink as the stream "database".
#pragma once

#include <holdfast/plugin/engine.hpp>

#include <filesystem>
#include <string_view>

namespace holdfast::engines::sqlite {

inline constexpr const char* database_stream = "database";

struct backup_options {
    int pages_per_step = 1024;  // per sqlite3_backup_step: progress and cancellation granularity
};

// {"pages_per_step": N}; unknown keys are an error.
backup_options parse_backup_options(std::string_view json);

void run_backup(const std::filesystem::path& source, const backup_options& options,
                holdfast::plugin::backup_sink& sink, const holdfast::plugin::host_services& host);

}  // namespace holdfast::engines::sqlite
