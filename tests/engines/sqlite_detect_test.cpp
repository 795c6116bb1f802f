// Detect: databases found by their header anywhere under a directory, other
// files and symbolic links ignored.
#include "sqlite_fixture.hpp"

#include "support/sqlite_file.hpp"

#include <algorithm>

namespace holdfast::testing {
namespace {

namespace fs = std::filesystem;

using sqlite_detect = sqlite_engine_test;

void make_db(const fs::path& path, int page_size, int rows) {
    sqlite_file db(path);
    db.exec("PRAGMA page_size=" + std::to_string(page_size));
    db.exec("CREATE TABLE t (x BLOB)");
    for (int i = 0; i < rows; ++i) db.exec("INSERT INTO t VALUES (randomblob(2000))");
}

TEST_F(sqlite_detect, finds_databases_in_a_nested_tree_by_header) {
    fs::create_directories(dir / "sub" / "deeper");
    make_db(dir / "a.db", 4096, 10);
    make_db(dir / "sub" / "b.sqlite", 1024, 3);
    make_db(dir / "sub" / "deeper" / "no-extension", 65536, 2);  // page size 65536 is stored as 1
    write_file(dir / "notes.txt", to_bytes("SQLite format 3 is a nice format, but this is text"));
    write_file(dir / "short", to_bytes("SQLite format 3"));
    auto almost = to_bytes(std::string("SQLite format 3\0", 16) + std::string(200, '\0'));  // page size 0: invalid
    write_file(dir / "sub" / "almost.db", almost);
    write_file(dir / "a.db-wal", random_bytes(5000, 1));
    fs::create_symlink(dir / "a.db", dir / "link.db");
    fs::create_directory_symlink(dir / "sub", dir / "linked-sub");

    const auto finds = client::engine_instance::detect(&engine_functions("sqlite"), dir.path().string(), host.services());
    std::vector<nlohmann::json> found;
    for (const auto& text : finds) found.push_back(nlohmann::json::parse(text));
    std::sort(found.begin(), found.end(), [](const auto& l, const auto& r) { return l["path"] < r["path"]; });
    ASSERT_EQ(found.size(), 3u) << nlohmann::json(found).dump(2);

    const std::vector<fs::path> expected = {dir / "a.db", dir / "sub" / "b.sqlite", dir / "sub" / "deeper" / "no-extension"};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        sqlite_file db(expected[i], false);
        EXPECT_EQ(found[i]["engine"], "sqlite");
        EXPECT_EQ(found[i]["path"], expected[i].string());
        EXPECT_EQ(found[i]["size"], fs::file_size(expected[i]));
        EXPECT_EQ(found[i]["page_size"], db.integer("PRAGMA page_size"));
        EXPECT_EQ(found[i]["page_count"], db.integer("PRAGMA page_count"));
    }
    EXPECT_EQ(found[2]["page_size"], 65536);
}

TEST_F(sqlite_detect, a_missing_directory_is_an_error) {
    try {
        client::engine_instance::detect(&engine_functions("sqlite"), (dir / "nope").string(), host.services());
        FAIL();
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_NOT_FOUND);
    }
}

}  // namespace
}  // namespace holdfast::testing
