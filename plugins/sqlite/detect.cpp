#include "detect.hpp"

#include "files.hpp"
#include <holdfast/plugin/json_fields.hpp>

#include <nlohmann/json.hpp>

#include <fcntl.h>

#include <array>
#include <cstring>
#include <system_error>

namespace holdfast::engines::sqlite {

using holdfast::plugin::error;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t header_bytes = 100;
constexpr char magic[] = "SQLite format 3";  // with its NUL: the 16-byte header string

std::uint32_t big_endian(std::span<const std::byte> bytes, std::size_t offset, std::size_t width) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < width; ++i) value = (value << 8) | std::to_integer<std::uint32_t>(bytes[offset + i]);
    return value;
}

std::optional<std::array<std::byte, header_bytes>> first_bytes(const fs::path& file) {
    try {
        // O_NOFOLLOW: the walk already skips links; this closes the race.
        plugin::unique_fd fd = open_file(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, "opening " + file.string());
        std::array<std::byte, header_bytes> header{};
        std::size_t got = 0;
        while (got < header.size()) {
            std::size_t n = read_some(fd.get(), std::span(header).subspan(got), "reading " + file.string());
            if (n == 0) return std::nullopt;
            got += n;
        }
        return header;
    } catch (const error&) {
        return std::nullopt;  // unreadable files are not ours to report
    }
}

}  // namespace

std::optional<header_facts> read_header(std::span<const std::byte> bytes, std::uint64_t file_size) {
    if (bytes.size() < header_bytes || std::memcmp(bytes.data(), magic, sizeof magic) != 0) return std::nullopt;
    // Offset 16: page size, big-endian; 1 means 65536. Must be a power of two in 512..65536.
    std::uint32_t page_size = big_endian(bytes, 16, 2);
    if (page_size == 1) page_size = 65536;
    if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) return std::nullopt;
    header_facts facts{page_size, big_endian(bytes, 28, 4)};
    // The in-header page count is valid only when the change counter at 24
    // matches the version-valid-for number at 92 (file format section 1.3.8);
    // older writers left it stale, and then the file size is the truth.
    if (facts.page_count == 0 || big_endian(bytes, 24, 4) != big_endian(bytes, 92, 4))
        facts.page_count = file_size / page_size;
    return facts;
}

void detect_databases(const fs::path& root, const holdfast::plugin::host_services& host,
                      const holdfast::plugin::detect_callback& found) {
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(root, ec)) && !fs::is_directory(root, ec))
        throw error(HF_ERR_NOT_FOUND, "cannot scan " + root.string() + ": not a directory");

    // The default options do not follow directory links; permission errors skip
    // the directory instead of ending the scan.
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) throw error(HF_ERR_IO, "cannot scan " + root.string() + ": " + ec.message());
    std::uint64_t seen = 0;
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) {
            host.debug("detect: skipping an entry under " + root.string() + ": " + ec.message());
            ec.clear();
            continue;
        }
        if (++seen % 256 == 0) host.throw_if_cancelled();
        const fs::directory_entry& entry = *it;
        if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
        auto header = first_bytes(entry.path());
        if (!header) continue;
        const std::uint64_t size = entry.file_size(ec);
        if (ec) continue;
        auto facts = read_header(*header, size);
        if (!facts) continue;
        nlohmann::json find = {
            {"engine", "sqlite"},
            {"path", entry.path().string()},
            {"size", size},
            {"page_size", facts->page_size},
            {"page_count", facts->page_count},
        };
        found(plugin::to_json_text(find));
    }
}

}  // namespace holdfast::engines::sqlite
