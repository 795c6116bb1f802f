#include "received_copy.hpp"

#include "connection.hpp"
#include "files.hpp"
#include "inspect.hpp"
#include "sha256.hpp"
#include "snapshot.hpp"

#include <vector>

namespace holdfast::engines::sqlite {

using holdfast::plugin::error;

namespace {
constexpr std::size_t chunk_bytes = 1024 * 1024;

std::uint64_t announced_size(holdfast::plugin::restore_source& source) {
    for (const auto& stream : source.streams())
        if (stream.name == database_stream) return stream.size;
    throw error(HF_ERR_NOT_FOUND, std::string("the snapshot has no \"") + database_stream +
                                      "\" stream: it was not made by the sqlite engine");
}
}  // namespace

received_copy receive_database(holdfast::plugin::restore_source& source, const std::filesystem::path& directory,
                               std::string_view prefix, const holdfast::plugin::host_services& host) {
    const std::uint64_t total = announced_size(source);
    received_copy copy{scratch_file::create(directory, prefix), 0, {}};
    holdfast::plugin::input_stream in = source.open(database_stream);
    std::vector<std::byte> buffer(chunk_bytes);
    sha256 hash;
    for (;;) {
        host.throw_if_cancelled();
        std::size_t n = in.read(buffer);
        if (n == 0) break;
        auto piece = std::span<const std::byte>(buffer).first(n);
        hash.update(piece);
        write_all(copy.file.fd(), piece, "writing " + copy.file.path().string());
        copy.bytes += n;
        host.progress("restore", copy.bytes, total);
    }
    sync_file(copy.file.fd(), "syncing " + copy.file.path().string());
    copy.file.close();
    copy.sha256 = hash.hex_digest();
    return copy;
}

nlohmann::json parse_metadata(std::string_view json) {
    nlohmann::json parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
    return parsed.is_object() ? parsed : nlohmann::json::object();
}

std::optional<std::string> metadata_string(const nlohmann::json& metadata, const char* key) {
    auto it = metadata.find(key);
    if (it == metadata.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

std::optional<std::map<std::string, std::int64_t>> metadata_row_counts(const nlohmann::json& metadata) {
    auto it = metadata.find("row_counts");
    if (it == metadata.end() || !it->is_object()) return std::nullopt;
    std::map<std::string, std::int64_t> counts;
    for (const auto& [table, count] : it->items()) counts[table] = count.is_number_integer() ? count.get<std::int64_t>() : -1;
    return counts;
}

copy_facts check_copy(const received_copy& copy, const nlohmann::json& metadata,
                      const holdfast::plugin::host_services& host) {
    if (auto recorded = metadata_string(metadata, "sha256"); recorded && *recorded != copy.sha256)
        throw error(HF_ERR_CORRUPT, "the restored database stream does not match the SHA-256 recorded at backup (" +
                                        *recorded + " expected, " + copy.sha256 + " received)");
    std::vector<std::string> problems;
    copy_facts facts;
    try {
        // read_write: SQLite then removes the -wal/-shm it creates on close.
        connection db(copy.file.path(), connection::access::read_write);
        problems = integrity_problems(db);
        if (problems.empty()) facts = {row_counts(db, host), schema_hash(db)};
    } catch (const error& e) {
        if (e.code() != HF_ERR_CORRUPT) throw;
        throw error(HF_ERR_CORRUPT, std::string("the restored database is damaged: ") + e.what());
    }
    if (!problems.empty()) {
        std::string summary;
        for (std::size_t i = 0; i < problems.size() && i < 3; ++i) summary += (i > 0 ? "; " : "") + problems[i];
        throw error(HF_ERR_CORRUPT, "the restored database fails PRAGMA integrity_check: " + summary);
    }
    return facts;
}

}  // namespace holdfast::engines::sqlite
