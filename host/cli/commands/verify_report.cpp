#include "cli/commands/verify_report.hpp"

#include <cstdint>

namespace holdfast::cli {

using nlohmann::json;

namespace {

std::string counted(std::uint64_t n, const std::string& what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

std::string text_of(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

std::uint64_t number(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

// PostgreSQL-style reports: {"databases": [{"name", "tables", "rows", "mismatches", "missing_tables"}]}.
std::string database_line(const json& db) {
    std::string line = "database " + text_of(db.value("name", json("?"))) + ": " +
                       counted(number(db, "tables"), "table") + ", " + counted(number(db, "rows"), "row");
    if (const auto it = db.find("mismatches"); it != db.end() && it->is_array() && !it->empty()) {
        line += "; row counts differ:";
        for (const json& m : *it)
            line += " " + text_of(m.value("table", json("?"))) + " (" + text_of(m.value("expected", json(nullptr))) +
                    " recorded, " + text_of(m.value("found", json(nullptr))) + " restored)";
    }
    if (const auto it = db.find("missing_tables"); it != db.end() && it->is_array() && !it->empty()) {
        line += "; missing tables:";
        for (const json& t : *it) line += " " + text_of(t);
    }
    return line;
}

}  // namespace

std::string drill_summary(const json& report, bool passed, const std::string& failure) {
    if (!passed) return failure.empty() ? "the restore test failed" : failure;
    if (!report.is_object()) return "restored and checked";
    if (const auto it = report.find("databases"); it != report.end() && it->is_array()) {
        std::uint64_t tables = 0, rows = 0;
        for (const json& db : *it)
            if (db.is_object()) tables += number(db, "tables"), rows += number(db, "rows");
        return "restored and checked: " + counted(it->size(), "database") + ", " + counted(tables, "table") + ", " +
               counted(rows, "row") + " as recorded";
    }
    // sqlite's: {"row_counts": {"table": rows, ...}, "integrity": "ok", ...}.
    if (const auto it = report.find("row_counts"); it != report.end() && it->is_object()) {
        std::uint64_t rows = 0;
        for (const auto& [table, count] : it->items())
            if (count.is_number_unsigned()) rows += count.get<std::uint64_t>();
        return "restored and checked: " + counted(it->size(), "table") + ", " + counted(rows, "row") + " as recorded";
    }
    return "restored and checked";
}

std::vector<std::string> report_lines(const json& report) {
    std::vector<std::string> lines;
    if (report.is_null()) return lines;
    if (!report.is_object()) {
        lines.push_back(text_of(report));
        return lines;
    }
    for (const auto& [key, value] : report.items()) {
        if (key == "passed" || key == "duration_ms") continue;  // the verdict line says so
        if (key == "databases" && value.is_array()) {
            for (const json& db : value) lines.push_back(db.is_object() ? database_line(db) : text_of(db));
        } else if (value.is_array() && !value.empty() && value.front().is_string()) {
            for (const json& item : value) lines.push_back(key + ": " + text_of(item));  // problems, differences
        } else if (!(value.is_array() && value.empty())) {
            lines.push_back(key + ": " + text_of(value));
        }
    }
    return lines;
}

}  // namespace holdfast::cli
