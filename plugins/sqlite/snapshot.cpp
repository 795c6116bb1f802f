#include "snapshot.hpp"

#include "connection.hpp"
#include "files.hpp"
#include "inspect.hpp"
#include <holdfast/plugin/json_fields.hpp>
#include "scratch_file.hpp"
#include "sha256.hpp"

#include <sqlite3.h>

#include <fcntl.h>

#include <chrono>
#include <system_error>
#include <thread>
#include <vector>

namespace holdfast::engines::sqlite {

using holdfast::plugin::error;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t chunk_bytes = 1024 * 1024;

void require_database_file(const fs::path& path) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw error(HF_ERR_NOT_FOUND, "the database " + path.string() + " does not exist");
    if (!fs::is_regular_file(status)) throw error(HF_ERR_INVALID_ARGUMENT, path.string() + " is not a regular file");
}

struct copy_result {
    std::string journal_mode;  // the source's
    database_facts facts;      // the copy's
};

// Copies the source into `scratch` page by page. The source connection holds
// one read transaction for the whole copy: in WAL mode that pins a snapshot
// (writers carry on, the backup never restarts); in rollback-journal mode it
// holds a shared lock, so writers wait until the copy is done.
copy_result copy_pages(const fs::path& source, const fs::path& scratch, const backup_options& options,
                       const holdfast::plugin::host_services& host) {
    connection src(source, connection::access::read_only);
    connection dst(scratch, connection::access::read_write);
    // A scratch copy needs no crash safety: skip the journal and the fsyncs.
    dst.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF");

    copy_result result;
    {
        read_transaction snapshot(src);
        result.journal_mode = src.query_text("PRAGMA journal_mode");
        backup_handle copy(dst, src);
        for (;;) {
            host.throw_if_cancelled();
            int rc = copy.step(options.pages_per_step);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            const auto total = copy.page_count();
            host.progress("snapshot", static_cast<std::uint64_t>(total - copy.remaining()),
                          static_cast<std::uint64_t>(total));
            if (rc == SQLITE_DONE) break;
        }
        copy.finish();
    }
    // Describe the copy, not the live source: it is exactly what is stored.
    result.facts = inspect(dst, host);
    return result;
}

}  // namespace

backup_options parse_backup_options(std::string_view json) {
    plugin::json_fields fields(json, "sqlite backup options");
    backup_options options;
    if (auto pages = fields.integer("pages_per_step")) {
        if (*pages < 1 || *pages > 1'000'000)
            throw error(HF_ERR_INVALID_ARGUMENT, "sqlite backup options: \"pages_per_step\" must be 1..1000000");
        options.pages_per_step = static_cast<int>(*pages);
    }
    fields.reject_unknown();
    return options;
}

void run_backup(const fs::path& source, const backup_options& options, holdfast::plugin::backup_sink& sink,
                const holdfast::plugin::host_services& host) {
    require_database_file(source);
    scratch_file scratch = scratch_file::create(fs::temp_directory_path(), "holdfast-sqlite-backup-");
    scratch.close();  // SQLite opens the file itself
    host.debug("copying " + source.string() + " into " + scratch.path().string());
    copy_result copied = copy_pages(source, scratch.path(), options, host);

    plugin::unique_fd in = open_file(scratch.path(), O_RDONLY, "opening the snapshot copy");
    std::error_code ec;
    const std::uint64_t total = fs::file_size(scratch.path(), ec);  // for progress only
    holdfast::plugin::output_stream out = sink.begin(database_stream);
    std::vector<std::byte> buffer(chunk_bytes);
    sha256 hash;
    std::uint64_t sent = 0;
    for (;;) {
        host.throw_if_cancelled();
        std::size_t n = read_some(in.get(), buffer, "reading the snapshot copy");
        if (n == 0) break;
        auto piece = std::span<const std::byte>(buffer).first(n);
        hash.update(piece);
        out.write(piece);
        sent += n;
        host.progress("stream", sent, ec ? 0 : total);
    }
    out.finish();

    nlohmann::json metadata = {
        {"sqlite_version", sqlite3_libversion()},
        {"page_size", copied.facts.page_size},
        {"page_count", copied.facts.page_count},
        {"journal_mode", copied.journal_mode},
        {"row_counts", to_json(copied.facts.row_counts)},
        {"schema_hash", copied.facts.schema_hash},
        {"stream", database_stream},
        {"bytes", sent},
        {"sha256", hash.hex_digest()},
    };
    // SQLite text may hold invalid UTF-8 (in a table name, say); JSON may not.
    sink.set_metadata(plugin::to_json_text(metadata));
}

}  // namespace holdfast::engines::sqlite
