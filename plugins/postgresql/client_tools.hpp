// Finding pg_dump, pg_dumpall and pg_restore: bin_dir when set, else Debian's
// /usr/lib/postgresql/<server major>/bin, else the newest /usr/lib/postgresql/*/bin at least
// as new as the server, else PATH. pg_dump refuses servers newer than itself, so an older
// one is an error naming the package to install rather than a failure halfway.
#pragma once

#include "settings.hpp"

#include <filesystem>
#include <string>

namespace holdfast::engines::postgresql {

struct client_tools {
    std::filesystem::path pg_dump, pg_dumpall, pg_restore;
    int major = 0;            // of pg_dump
    std::string version;      // "15.4"
};

// Throws plugin::error: HF_ERR_NOT_FOUND when the programs are missing, HF_ERR_VERSION when
// they are older than the server (server_version_num as libpq reports it).
client_tools find_client_tools(const settings& config, int server_version_num);

// The program's "15.4" from `<program> --version`; empty when it cannot be run.
std::string program_version(const std::filesystem::path& program);

}  // namespace holdfast::engines::postgresql
