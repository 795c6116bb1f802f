// A postgresql source's settings (docs/engines/postgresql.md): where the server is, how to
// authenticate, which databases a backup takes, where the client programs are.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::engines::postgresql {

struct settings {
    // libpq keyword/value pairs from url, service, host, port, user and dbname, in the
    // order libpq should apply them (later ones win). Never holds the password.
    std::vector<std::pair<std::string, std::string>> connection;
    // From password_env, password_file or the URL; empty: libpq's own sources
    // (PGPASSWORD, .pgpass, PGPASSFILE) apply.
    std::string password;
    std::vector<std::string> databases;
    std::vector<std::string> exclude_databases;
    std::optional<std::filesystem::path> bin_dir;
    // Restore drills run in a throwaway cluster made with this initdb instead of on the server.
    std::optional<std::filesystem::path> scratch_initdb;
};

// Throws plugin::error(HF_ERR_INVALID_ARGUMENT) for unknown keys, wrong types, a URL libpq
// cannot parse, or a password source that cannot be read. Messages never contain the password.
settings parse_settings(std::string_view json);

}  // namespace holdfast::engines::postgresql
