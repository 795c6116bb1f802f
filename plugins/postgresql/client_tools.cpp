#include "client_tools.hpp"

#include "child.hpp"

#include <holdfast/plugin/common.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <regex>
#include <sstream>
#include <vector>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;
namespace fs = std::filesystem;

namespace {

constexpr const char* programs[] = {"pg_dump", "pg_dumpall", "pg_restore"};

bool has_programs(const fs::path& dir) {
    return std::all_of(std::begin(programs), std::end(programs),
                       [&](const char* p) { return ::access((dir / p).c_str(), X_OK) == 0; });
}

int major_of(const std::string& version) { return version.empty() ? 0 : std::atoi(version.c_str()); }

std::vector<fs::path> candidate_dirs(const settings& config, int server_major) {
    if (config.bin_dir) return {*config.bin_dir};
    std::vector<fs::path> out;
    const fs::path debian = "/usr/lib/postgresql";
    out.push_back(debian / std::to_string(server_major) / "bin");
    std::vector<std::pair<int, fs::path>> installed;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(debian, ec))
        if (int major = std::atoi(entry.path().filename().c_str()); major >= server_major)
            installed.emplace_back(major, entry.path() / "bin");
    std::sort(installed.rbegin(), installed.rend());
    for (const auto& [major, dir] : installed) out.push_back(dir);
    if (const char* path = std::getenv("PATH")) {
        std::stringstream dirs(path);
        for (std::string dir; std::getline(dirs, dir, ':');)
            if (!dir.empty()) out.emplace_back(dir);
    }
    return out;
}

std::string package_hint(int server_major) {
    return "install the PostgreSQL " + std::to_string(server_major) +
           " client programs (Debian/Ubuntu: apt-get install postgresql-client-" + std::to_string(server_major) +
           "; RHEL: postgresql" + std::to_string(server_major) + ") or set bin_dir";
}

}  // namespace

std::string program_version(const fs::path& program) {
    try {
        auto run = child::start({program, {"--version"}, {}, false, true});
        std::string out;
        std::byte buffer[512];
        while (std::size_t n = run->read(buffer, {})) out.append(reinterpret_cast<const char*>(buffer), n);
        if (!run->wait()) return {};
        std::smatch m;
        if (std::regex_search(out, m, std::regex(R"(\(PostgreSQL\) ([0-9]+(\.[0-9]+)*))"))) return m[1];
    } catch (const error&) {
    }
    return {};
}

client_tools find_client_tools(const settings& config, int server_version_num) {
    const int server_major = server_version_num / 10000;
    std::optional<client_tools> too_old;
    for (const auto& dir : candidate_dirs(config, server_major)) {
        if (!has_programs(dir)) continue;
        client_tools tools{dir / "pg_dump", dir / "pg_dumpall", dir / "pg_restore", 0, program_version(dir / "pg_dump")};
        tools.major = major_of(tools.version);
        if (tools.major >= server_major) return tools;
        if (!too_old) too_old = tools;
    }
    if (too_old)
        throw error(HF_ERR_VERSION, too_old->pg_dump.string() + " is version " + too_old->version +
                                        ", older than the server (" + version_text(server_version_num) +
                                        ") and unable to dump it: " + package_hint(server_major));
    const std::string where = config.bin_dir ? "in bin_dir " + config.bin_dir->string()
                                             : "in /usr/lib/postgresql/*/bin or PATH";
    throw error(HF_ERR_NOT_FOUND, "pg_dump, pg_dumpall and pg_restore were not found " + where + ": " +
                                      package_hint(server_major));
}

}  // namespace holdfast::engines::postgresql
