#include "detect.hpp"

#include <holdfast/plugin/json_fields.hpp>

#include <fstream>
#include <system_error>

namespace holdfast::engines::postgresql {

using holdfast::plugin::error;
namespace fs = std::filesystem;

namespace {

// PG_VERSION holds the major version alone on its first line: "15", "9.6".
std::optional<std::string> major_version(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_regular_file(dir / "global" / "pg_control", ec)) return std::nullopt;
    std::ifstream in(dir / "PG_VERSION");
    std::string line;
    if (!in || !std::getline(in, line) || line.empty() || line.size() > 8) return std::nullopt;
    for (char c : line)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.')) return std::nullopt;
    return line;
}

std::uint64_t tree_size(const fs::path& dir, const holdfast::plugin::host_services& host) {
    std::uint64_t total = 0, seen = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        if (++seen % 1024 == 0) host.throw_if_cancelled();
        std::error_code size_ec;
        if (it->is_regular_file(size_ec) && !it->is_symlink(size_ec)) total += it->file_size(size_ec);
    }
    return total;
}

}  // namespace

void detect_data_directories(const fs::path& root, const holdfast::plugin::host_services& host,
                             const holdfast::plugin::detect_callback& found) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) throw error(HF_ERR_NOT_FOUND, "cannot scan " + root.string() + ": not a directory");
    auto report = [&](const fs::path& dir, const std::string& major) {
        found(plugin::to_json_text({{"path", dir.string()}, {"engine", "postgresql"}, {"major", major},
                            {"size", tree_size(dir, host)}}));
    };
    if (auto major = major_version(root)) {
        report(root, *major);
        return;
    }
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) throw error(HF_ERR_IO, "cannot scan " + root.string() + ": " + ec.message());
    std::uint64_t seen = 0;
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) {
            ec.clear();
            continue;
        }
        if (++seen % 256 == 0) host.throw_if_cancelled();
        if (!it->is_directory(ec) || it->is_symlink(ec)) continue;
        if (auto major = major_version(it->path())) {
            report(it->path(), *major);
            it.disable_recursion_pending();  // its base/ and global/ hold no further clusters
        }
    }
}

}  // namespace holdfast::engines::postgresql
