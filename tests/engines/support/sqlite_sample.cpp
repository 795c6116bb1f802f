#include "support/sqlite_sample.hpp"

#include "support/scratch_dir.hpp"
#include "support/sqlite_file.hpp"

#include <array>
#include <string>

namespace holdfast::testing {

void make_sample_database(const std::filesystem::path& path, int rows, bool wal) {
    sqlite_file db(path);
    if (wal) db.exec("PRAGMA journal_mode=WAL");
    db.exec(R"(
        CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, score REAL, avatar BLOB);
        CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), amount NUMERIC, note TEXT);
        CREATE INDEX orders_by_user ON orders(user_id);
        CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
        CREATE TABLE "odd ""name"" table" ("the value" TEXT);
        CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT);
        CREATE VIEW user_totals AS
            SELECT u.name, count(o.id) AS orders, total(o.amount) AS spent
            FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id;
        CREATE TRIGGER orders_audit AFTER INSERT ON orders
            BEGIN INSERT INTO audit(what) VALUES ('order ' || NEW.id); END;
    )");
    static const std::array<std::string, 6> names = {"Zoë Ødegaard", "日本語のユーザー", "Алексей", "🎉 party",
                                                     "مرحبا", "plain"};
    db.exec("BEGIN");
    for (int i = 0; i < rows; ++i) {
        const std::string name = names[static_cast<std::size_t>(i) % names.size()] + " #" + std::to_string(i);
        // Mostly small BLOBs with NUL bytes; every 100th spans overflow pages.
        auto avatar = random_bytes(i % 100 == 0 ? 200'000 : static_cast<std::size_t>(i % 300), static_cast<unsigned>(i));
        db.exec_with("INSERT INTO users(name, email, score, avatar) VALUES (?2, " +
                         (i % 7 == 0 ? std::string("NULL") : "'user" + std::to_string(i) + "@example.org'") + ", " +
                         std::to_string(i) + " / 3.0, ?1)",
                     avatar, name);
        db.exec("INSERT INTO orders(user_id, amount, note) VALUES (" + std::to_string(i + 1) + ", " +
                std::to_string(i * 1.25) + ", " + (i % 5 == 0 ? std::string("NULL") : "'note ✓ " + std::to_string(i) + "'") +
                ")");
        db.exec_with("INSERT INTO kv(k, v) VALUES ('key-' || ?2, ?1)", random_bytes(64, static_cast<unsigned>(i) + 7),
                     std::to_string(i));
    }
    db.exec(R"(INSERT INTO "odd ""name"" table" VALUES ('it''s "quoted"'), (NULL), ('ĉu'))");
    db.exec("COMMIT");
}

}  // namespace holdfast::testing
