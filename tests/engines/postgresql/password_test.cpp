// Passwords (docs/engines/postgresql.md, Settings, "The password"): taken from password_env,
// password_file or the URL, they open the server, and appear in no log line (even at -vv),
// no output and no snapshot. The cluster asks the role `secretive` for its password on
// 127.0.0.1 (scram-sha-256), so a backup without the right one fails: the password really
// is used. (Child processes' argv is not observed here.)
#include "postgresql_cli_fixture.hpp"

#include <fstream>

namespace holdfast::testing::postgresql {
namespace {

namespace fs = std::filesystem;

// URL-safe, so the same password can be written in a URL.
const std::string password = "Hf-pw-7c2e9a41d0";

class postgresql_password : public postgresql_cli {
protected:
    void SetUp() override {
        postgresql_cli::SetUp();
        if (IsSkipped()) return;
        cluster().exec("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'secretive') THEN "
                                   "CREATE ROLE secretive LOGIN SUPERUSER; END IF; END $$; "
                                   "ALTER ROLE secretive PASSWORD '" + password + "'");
    }

    // Fails the test when the password is anywhere in a command's output.
    void expect_hidden(const process_result& r, const std::string& what) const {
        EXPECT_EQ(r.out.find(password), std::string::npos) << what << ": the password is on stdout:\n" << r.out;
        EXPECT_EQ(r.err.find(password), std::string::npos) << what << ": the password is on stderr:\n" << r.err;
    }
    void expect_not_in_snapshots() const {
        const auto listing = hf_ok({"snapshots", "--json"});
        EXPECT_EQ(listing.out.find(password), std::string::npos) << "the password is in a snapshot:\n" << listing.out;
        expect_hidden(hf_ok({"snapshots"}), "snapshots");
    }
};

TEST_F(postgresql_password, FromAnEnvironmentVariable) {
    auto& pg = cluster();
    load_wide(pg, "pw_env_db");
    const auto sums = pg.table_checksums("pw_env_db");
    add_source_with_url("pg", pg.tcp_url("postgres", "secretive"), {"pw_env_db"},
                        "      password_env: HF_TEST_PG_PASSWORD\n");
    init_repository();

    // Without it, or with a wrong one, the server refuses; the wrong one is not shown either.
    const auto missing = hf({"backup", "pg"}, {{"HF_TEST_PG_PASSWORD", std::nullopt}});
    EXPECT_NE(missing.exit_code, 0) << all_output(missing);
    const std::string wrong = "Wrong-pw-41d9e0c3";
    const auto refused = hf({"backup", "pg", "-vv"}, {{"HF_TEST_PG_PASSWORD", wrong}});
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_EQ(all_output(refused).find(wrong), std::string::npos) << all_output(refused);
    EXPECT_NE(all_output(refused).find("password"), std::string::npos)
        << "the failure does not say that authentication failed:\n" << all_output(refused);
    EXPECT_EQ(snapshot_count(), 0u);

    const env with_password{{"HF_TEST_PG_PASSWORD", password}};
    expect_hidden(hf_ok({"backup", "pg", "-vv"}, with_password), "backup -vv");
    const auto id = latest_snapshot("pg");
    expect_not_in_snapshots();

    expect_hidden(hf_ok({"restore", id, "--target", "pw_env_copy", "-vv", "--json"}, with_password), "restore -vv");
    EXPECT_EQ(pg.table_checksums("pw_env_copy"), sums);
    expect_hidden(hf_ok({"verify", id, "--restore-test", "-vv"}, with_password), "verify --restore-test -vv");
    expect_not_in_snapshots();  // the proof too
}

TEST_F(postgresql_password, FromAFileOrTheUrl) {
    auto& pg = cluster();
    load_wide(pg, "pw_url_db");
    const auto sums = pg.table_checksums("pw_url_db");
    const auto file = dir() / "pg.password";
    std::ofstream(file) << password << "\n";
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
    add_source_with_url("in_file", pg.tcp_url("postgres", "secretive"), {"pw_url_db"},
                        "      password_file: " + nlohmann::json(file.string()).dump() + "\n");
    const std::string url_with_password =
        "postgresql://secretive:" + password + "@127.0.0.1:" + std::to_string(pg.port()) + "/postgres";
    add_source_with_url("in_url", url_with_password, {"pw_url_db"});
    init_repository();

    expect_hidden(hf_ok({"backup", "in_file", "-vv"}), "backup with password_file");
    expect_hidden(hf_ok({"backup", "in_url", "-vv"}), "backup with the password in the URL");
    // A one-off backup of a URL: the snapshot records the URL with the password taken out.
    expect_hidden(hf_ok({"backup", url_with_password, "--database", "pw_url_db", "-vv"}), "one-off backup by URL");
    expect_not_in_snapshots();
    EXPECT_EQ(snapshots_json().size(), 3u);

    const auto id = latest_snapshot("in_url");
    expect_hidden(hf_ok({"restore", id, "--target", "pw_url_copy", "-vv"}), "restore with the password in the URL");
    EXPECT_EQ(pg.table_checksums("pw_url_copy"), sums);
}

}  // namespace
}  // namespace holdfast::testing::postgresql
