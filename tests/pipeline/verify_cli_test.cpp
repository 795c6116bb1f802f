// `holdfast verify` end to end: the data check, and restore tests with the sqlite engine
// (which implements verify) whose outcome is recorded as a proof and shown by `snapshots`.
#include "cli_fixture.hpp"
#include "support/sqlite_file.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>

namespace holdfast::pipeline::testing {
namespace {

namespace fs = std::filesystem;

using verify_cli = cli_test;

void make_database(const fs::path& path) {
    holdfast::testing::sqlite_file db(path);
    db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL)");
    db.exec("CREATE INDEX orders_customer ON orders (customer)");
    db.exec("BEGIN");
    for (int i = 0; i < 2000; ++i)
        db.exec("INSERT INTO orders (customer, total) VALUES ('customer " + std::to_string(i % 97) + "', " +
                std::to_string(i * 1.25) + ")");
    db.exec("COMMIT");
}

// A database that SQLite still opens, counts and copies, but whose index no longer matches
// its table: the silent damage a restore drill exists to find. The backup copies it page
// by page as it is; PRAGMA integrity_check on the restored copy fails.
void damage_index(const fs::path& path) {
    holdfast::testing::sqlite_file db(path, false);
    db.exec("PRAGMA writable_schema = ON");
    db.exec("UPDATE sqlite_schema SET sql = 'CREATE INDEX orders_customer ON orders (total)' "
            "WHERE name = 'orders_customer'");
}

void corrupt_every_pack(const fs::path& repo) {
    for (const auto& entry : fs::recursive_directory_iterator(repo / "data")) {
        if (!entry.is_regular_file()) continue;
        std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
        const auto middle = static_cast<std::streamoff>(entry.file_size() / 2);
        f.seekg(middle);
        char c = 0;
        f.read(&c, 1);
        c = static_cast<char>(c ^ 1);
        f.seekp(middle);
        f.write(&c, 1);
    }
}

nlohmann::json result_line(const std::string& out) {
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        const auto doc = nlohmann::json::parse(line, nullptr, false);
        if (doc.is_object() && doc.value("type", "") == "result") return doc;
    }
    ADD_FAILURE() << "no result line in:\n" << out;
    return {};
}

std::size_t files_under(const fs::path& dir) {
    if (!fs::exists(dir)) return 0;
    std::size_t n = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) n += entry.is_regular_file() ? 1 : 0;
    return n;
}

TEST_F(verify_cli, VerifyReadsEveryStreamAndTheRestoreTestRecordsAProof) {
    const auto db = dir() / "app.db";
    make_database(db);
    write_config("  - name: app\n    engine: sqlite\n    settings:\n      path: " + quoted(db) + "\n");
    init_repository();
    ok({"backup", "app"});

    const auto data = ok({"verify", "latest"});
    EXPECT_NE(data.out.find("verified snapshot"), std::string::npos) << data.out;
    EXPECT_NE(data.out.find("database: ok"), std::string::npos) << data.out;
    const auto data_json = result_line(ok({"verify", "latest", "--json"}).out);
    EXPECT_EQ(data_json.at("ok"), true);
    EXPECT_EQ(data_json.at("bytes"), fs::file_size(db));
    EXPECT_EQ(files_under(repo() / "proofs"), 0u) << "checking the data records no proof";

    // No drill yet.
    const auto before = ok({"snapshots"});
    EXPECT_NE(before.out.find("PROOF"), std::string::npos) << before.out;
    EXPECT_EQ(nlohmann::json::parse(ok({"snapshots", "--json"}).out)[0].at("proofs"), nlohmann::json::array());

    const auto drill = ok({"verify", "latest", "--restore-test"});
    EXPECT_NE(drill.out.find("PASSED"), std::string::npos) << drill.out;
    EXPECT_NE(drill.out.find("1 table, 2000 rows"), std::string::npos) << drill.out;
    EXPECT_NE(drill.out.find("recorded proof"), std::string::npos) << drill.out;
    EXPECT_EQ(files_under(repo() / "proofs"), 1u);

    const auto listing = ok({"snapshots"});
    EXPECT_TRUE(std::regex_search(listing.out, std::regex(R"(\bok \d{4}-\d{2}-\d{2}\b)"))) << listing.out;
    const auto snaps = nlohmann::json::parse(ok({"snapshots", "--json"}).out);
    ASSERT_EQ(snaps.size(), 1u);
    ASSERT_EQ(snaps[0].at("proofs").size(), 1u);
    const auto& proof = snaps[0].at("proofs")[0];
    EXPECT_EQ(proof.at("passed"), true);
    EXPECT_TRUE(proof.at("duration_ms").is_number_unsigned());
    EXPECT_EQ(proof.at("time").get<std::string>().back(), 'Z');
    EXPECT_NE(proof.at("summary").get<std::string>().find("2000 rows"), std::string::npos) << proof.dump();

    // --json: the engine's report in the result line.
    const auto drill_json = result_line(ok({"verify", "latest", "--restore-test", "--json"}).out);
    EXPECT_EQ(drill_json.at("passed"), true);
    EXPECT_EQ(drill_json.at("report").at("integrity"), "ok");
    EXPECT_EQ(drill_json.at("proof").get<std::string>().size(), 64u);
    EXPECT_EQ(files_under(repo() / "proofs"), 2u);

    // check reads the proofs; forget removes them with their snapshot.
    const auto checked = ok({"check", "--json"});
    EXPECT_EQ(nlohmann::json::parse(checked.out).at("proofs"), 2);
    ok({"backup", "app"});
    ok({"forget", "--keep-last", "1"});
    EXPECT_EQ(files_under(repo() / "proofs"), 0u);
}

TEST_F(verify_cli, ACorruptedPackFailsVerifyWithTheCorruptionExitCode) {
    const auto db = dir() / "app.db";
    make_database(db);
    write_config("  - name: app\n    engine: sqlite\n    settings:\n      path: " + quoted(db) + "\n");
    init_repository();
    ok({"backup", "app"});
    corrupt_every_pack(repo());

    const auto data = run({"verify", "latest"});
    EXPECT_EQ(data.exit_code, 5) << data.out << data.err;
    EXPECT_NE(data.out.find("DAMAGED"), std::string::npos) << data.out;
    EXPECT_NE(data.out.find("corrupt"), std::string::npos) << data.out;
    const auto data_json = run({"verify", "latest", "--json"});
    EXPECT_EQ(data_json.exit_code, 5);
    EXPECT_EQ(result_line(data_json.out).at("ok"), false);

    // The drill cannot restore it either: a failed proof, and the same exit code.
    const auto drill = run({"verify", "latest", "--restore-test"});
    EXPECT_EQ(drill.exit_code, 5) << drill.out << drill.err;
    EXPECT_NE(drill.out.find("FAILED"), std::string::npos) << drill.out;
    EXPECT_NE(drill.out.find("damaged"), std::string::npos) << drill.out;
    EXPECT_EQ(files_under(repo() / "proofs"), 1u);
}

TEST_F(verify_cli, AFailedRestoreTestRecordsAFailedProof) {
    const auto db = dir() / "app.db";
    make_database(db);
    damage_index(db);
    write_config("  - name: app\n    engine: sqlite\n    settings:\n      path: " + quoted(db) + "\n");
    init_repository();
    ok({"backup", "app"});
    ok({"verify", "latest"});  // the repository holds exactly what was backed up

    const auto drill = run({"verify", "latest", "--restore-test"});
    EXPECT_EQ(drill.exit_code, 5) << drill.out << drill.err;
    EXPECT_NE(drill.out.find("FAILED"), std::string::npos) << drill.out;
    EXPECT_NE(drill.out.find("integrity_check"), std::string::npos) << drill.out;

    const auto listing = ok({"snapshots"});
    EXPECT_TRUE(std::regex_search(listing.out, std::regex(R"(\bFAILED \d{4}-\d{2}-\d{2}\b)"))) << listing.out;
    const auto snaps = nlohmann::json::parse(ok({"snapshots", "--json"}).out);
    ASSERT_EQ(snaps[0].at("proofs").size(), 1u);
    EXPECT_EQ(snaps[0].at("proofs")[0].at("passed"), false);
    EXPECT_NE(snaps[0].at("proofs")[0].at("summary").get<std::string>().find("integrity_check"), std::string::npos);
    ok({"check"});
}

TEST_F(verify_cli, ARestoreTestThatCannotRunRecordsNothing) {
    const auto input = dir() / "in";
    write_test_data(input, 100'000, 1);
    write_config("  - name: data\n    engine: exec\n    settings:\n      backup_command: [\"cat\", " + quoted(input) +
                 "]\n      restore_command: [\"true\"]\n");
    init_repository();
    ok({"backup", "data"});
    ok({"verify", "latest"});  // any engine's data can be checked

    const auto refused = run({"verify", "latest", "--restore-test"});
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find("cannot run a restore test"), std::string::npos) << refused.err;
    const std::string id = nlohmann::json::parse(ok({"snapshots", "--json"}).out)[0].at("id");
    const auto unknown = run({"verify", id, "--restore-test", "--source", "nosuch"});
    EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
    EXPECT_EQ(run({"verify", "latest", "--source-url", "sqlite:///x.db"}).exit_code, 2);
    EXPECT_EQ(files_under(repo() / "proofs"), 0u);
    EXPECT_EQ(files_under(repo() / "locks"), 0u);
}

}  // namespace
}  // namespace holdfast::pipeline::testing
