#include "probe.hpp"

#include "connection.hpp"
#include <holdfast/plugin/json_fields.hpp>

#include <holdfast/plugin/common.hpp>

#include <nlohmann/json.hpp>

#include <sqlite3.h>

#include <system_error>

namespace holdfast::engines::sqlite {

namespace fs = std::filesystem;

std::string probe_database(const fs::path& path) {
    nlohmann::json report = {
        {"reachable", false}, {"path", path.string()}, {"sqlite_version", sqlite3_libversion()}, {"readable", false}};
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        report["error"] = "the database file does not exist";
        return plugin::to_json_text(report);
    }
    if (!fs::is_regular_file(status)) {
        report["error"] = "not a regular file";
        return plugin::to_json_text(report);
    }
    report["reachable"] = true;
    report["size"] = fs::file_size(path, ec);
    try {
        connection db(path, connection::access::read_only);
        read_transaction snapshot(db);
        report["page_size"] = db.query_int("PRAGMA page_size");
        report["page_count"] = db.query_int("PRAGMA page_count");
        report["journal_mode"] = db.query_text("PRAGMA journal_mode");
        report["readable"] = true;
    } catch (const holdfast::plugin::error& e) {
        report["error"] = e.what();
    }
    return plugin::to_json_text(report);
}

}  // namespace holdfast::engines::sqlite
