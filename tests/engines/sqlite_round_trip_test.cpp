// Backup and restore of a varied database: the restored copy holds exactly
// the same rows and schema, and the metadata describes it truthfully.
#include "sqlite_fixture.hpp"

#include "support/sqlite_file.hpp"
#include "support/sqlite_sample.hpp"

#include <openssl/evp.h>
#include <sqlite3.h>

namespace holdfast::testing {
namespace {

std::string sha256_hex(std::span<const std::byte> data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
    std::string out;
    static constexpr char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < length; ++i) out += {hex[digest[i] >> 4], hex[digest[i] & 15]};
    return out;
}

// The schema hash as docs/engines/sqlite.md defines it, computed independently.
std::string expected_schema_hash(sqlite_file& db) {
    std::string text;
    for (const auto& row : db.rows("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name"))
        text += row[0].substr(1) + std::string(1, '\0');
    return sha256_hex(std::as_bytes(std::span(text.data(), text.size())));
}

using sqlite_round_trip = sqlite_engine_test;

TEST_F(sqlite_round_trip, restores_identical_rows_schema_and_behaviour) {
    const auto source = dir / "app.db";
    make_sample_database(source, 600);
    memory_target target = backup(source, R"({"pages_per_step": 7})");
    ASSERT_EQ(target.names(), std::vector<std::string>{"database"});
    ASSERT_TRUE(target.committed("database"));

    memory_origin origin = memory_origin::from(target);
    origin.max_read(100'000);  // short reads from the host must not matter
    const auto copy = dir / "copy.db";
    nlohmann::json report = restore(source, origin, {{"target", copy.string()}});
    EXPECT_EQ(report["target"], copy.string());
    EXPECT_EQ(report["integrity"], "ok");
    EXPECT_TRUE(report["previous"].is_null());
    EXPECT_EQ(report["bytes"], target.data("database").size());

    sqlite_file original(source, false);
    sqlite_file restored(copy, false);
    EXPECT_EQ(restored.integrity(), std::vector<std::string>{"ok"});
    const std::string schema = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name";
    EXPECT_EQ(restored.rows(schema), original.rows(schema));
    const auto original_rows = original.dump();
    ASSERT_EQ(original_rows.size(), 5u);
    EXPECT_EQ(restored.dump(), original_rows);
    EXPECT_EQ(restored.rows("SELECT * FROM user_totals ORDER BY 1"), original.rows("SELECT * FROM user_totals ORDER BY 1"));
    EXPECT_EQ(report["row_counts"]["users"], 600);

    // The trigger came along and still fires.
    restored.exec("INSERT INTO orders(user_id, amount) VALUES (1, 9.5)");
    EXPECT_EQ(restored.integer("SELECT count(*) FROM audit"), 601);
    // A value that needs exact bytes: the 200 kB BLOB with NULs survived.
    EXPECT_EQ(restored.integer("SELECT length(avatar) FROM users WHERE id = 1"), 200'000);
}

TEST_F(sqlite_round_trip, metadata_describes_the_backup) {
    const auto source = dir / "app.db";
    make_sample_database(source, 120, /*wal=*/true);
    memory_target target = backup(source);
    const auto metadata = nlohmann::json::parse(target.metadata());

    sqlite_file db(source, false);
    EXPECT_EQ(metadata["sqlite_version"], sqlite3_libversion());
    EXPECT_EQ(metadata["journal_mode"], "wal");
    EXPECT_EQ(metadata["page_size"], db.integer("PRAGMA page_size"));
    EXPECT_EQ(metadata["page_count"], db.integer("PRAGMA page_count"));
    EXPECT_EQ(metadata["schema_hash"], expected_schema_hash(db));
    EXPECT_EQ(metadata["stream"], "database");
    const auto& data = target.data("database");
    EXPECT_EQ(metadata["bytes"], data.size());
    EXPECT_EQ(metadata["sha256"], sha256_hex(data));
    EXPECT_EQ(static_cast<std::int64_t>(data.size()), db.integer("PRAGMA page_size") * db.integer("PRAGMA page_count"));

    const nlohmann::json expected_counts = {{"audit", 120}, {"kv", 120}, {"odd \"name\" table", 3}, {"orders", 120},
                                            {"users", 120}};
    EXPECT_EQ(metadata["row_counts"], expected_counts);
}

TEST_F(sqlite_round_trip, progress_is_reported_in_pages_then_bytes) {
    const auto source = dir / "app.db";
    make_sample_database(source, 200);
    std::vector<std::string> phases;
    std::uint64_t last_pages = 0, total_pages = 0;
    host.on_progress([&](std::string_view phase, std::uint64_t done, std::uint64_t total) {
        if (phases.empty() || phases.back() != phase) phases.emplace_back(phase);
        if (phase == "snapshot") last_pages = done, total_pages = total;
    });
    backup(source, R"({"pages_per_step": 16})");
    EXPECT_EQ(phases, (std::vector<std::string>{"snapshot", "stream"}));
    EXPECT_GT(total_pages, 16u);
    EXPECT_EQ(last_pages, total_pages);
}

TEST_F(sqlite_round_trip, verify_passes_for_a_good_backup_and_fails_on_a_metadata_mismatch) {
    const auto source = dir / "app.db";
    make_sample_database(source, 50);
    memory_target target = backup(source);
    memory_origin origin = memory_origin::from(target);
    auto engine = open(source);
    ASSERT_TRUE(engine.can_verify());
    const auto good = engine.verify("{}", origin);
    EXPECT_TRUE(good.passed);
    EXPECT_EQ(good.failure, "");
    const auto report = nlohmann::json::parse(good.report);
    EXPECT_EQ(report["integrity"], "ok");
    EXPECT_EQ(report["matches"], true);
    EXPECT_EQ(report["differences"], nlohmann::json::array());
    EXPECT_EQ(report["sha256_checked"], true);
    EXPECT_EQ(report["row_counts"]["users"], 50);

    // Metadata that promises another row count: a restore of this snapshot
    // would not be what the backup recorded. The report still arrives.
    auto metadata = nlohmann::json::parse(target.metadata());
    metadata["row_counts"]["users"] = 51;
    origin.set_metadata(metadata.dump());
    const auto rows = engine.verify("{}", origin);
    EXPECT_FALSE(rows.passed);
    EXPECT_NE(rows.failure.find("\"users\" has 50 rows, 51 recorded"), std::string::npos) << rows.failure;
    const auto rows_report = nlohmann::json::parse(rows.report);
    EXPECT_EQ(rows_report["integrity"], "ok");
    EXPECT_EQ(rows_report["matches"], false);
    EXPECT_EQ(rows_report["differences"], nlohmann::json::array({"table \"users\" has 50 rows, 51 recorded"}));
    EXPECT_EQ(rows_report["row_counts"]["users"], 50);

    metadata = nlohmann::json::parse(target.metadata());
    metadata["schema_hash"] = std::string(64, '0');
    origin.set_metadata(metadata.dump());
    const auto schema = engine.verify("{}", origin);
    EXPECT_FALSE(schema.passed);
    EXPECT_NE(schema.failure.find("schema_hash differs"), std::string::npos) << schema.failure;
    EXPECT_EQ(nlohmann::json::parse(schema.report)["matches"], false);
}

TEST_F(sqlite_round_trip, verify_reports_a_damaged_copy_as_a_failed_check) {
    const auto source = dir / "app.db";
    make_sample_database(source, 50);
    memory_target target = backup(source);
    memory_origin origin = memory_origin::from(target);
    auto data = target.data("database");
    for (std::size_t i = 5000; i < data.size(); i += 4096) data[i] ^= std::byte{0x5a};
    origin.replace("database", data);

    const auto outcome = open(source).verify("{}", origin);
    EXPECT_FALSE(outcome.passed);
    EXPECT_NE(outcome.failure.find("SHA-256"), std::string::npos) << outcome.failure;
    const auto report = nlohmann::json::parse(outcome.report);
    EXPECT_EQ(report["integrity"], "failed");
    EXPECT_EQ(report["matches"], false);
    EXPECT_EQ(report["differences"], nlohmann::json::array({outcome.failure}));
    EXPECT_EQ(report["bytes"], data.size());
}

TEST_F(sqlite_round_trip, verify_that_cannot_run_still_throws) {
    const auto source = dir / "app.db";
    make_sample_database(source, 5);
    memory_origin origin = memory_origin::from(backup(source));
    auto engine = open(source);
    try {
        (void)engine.verify(R"({"deep": true})", origin);
        FAIL() << "verify accepted an unknown option";
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_INVALID_ARGUMENT) << e.what();
    }
    origin.set_metadata("{}");
    try {
        (void)engine.verify("{}", origin);
        FAIL() << "verify ran without the metadata to compare with";
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_PRECONDITION) << e.what();
    }
}

TEST_F(sqlite_round_trip, cancellation_stops_the_backup_and_cleans_up) {
    const auto source = dir / "app.db";
    make_sample_database(source, 200);
    host.on_progress([&](std::string_view, std::uint64_t, std::uint64_t) { host.cancel(); });
    memory_target target;
    try {
        open(source).backup(R"({"pages_per_step": 4})", target);
        FAIL() << "backup ignored cancellation";
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_CANCELLED);
    }
    EXPECT_FALSE(target.committed("database"));
    // TearDown checks that the snapshot copy in $TMPDIR is gone.
}

TEST_F(sqlite_round_trip, a_failing_sink_abandons_the_stream) {
    const auto source = dir / "app.db";
    make_sample_database(source, 300);
    memory_target target;
    target.fail_writes_after(100'000);
    try {
        open(source).backup("{}", target);
        FAIL() << "backup succeeded into a full sink";
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_NO_SPACE) << e.what();
    }
    EXPECT_TRUE(target.abandoned("database"));
}

TEST_F(sqlite_round_trip, unknown_options_are_refused) {
    const auto source = dir / "app.db";
    make_sample_database(source, 1);
    memory_target target;
    try {
        open(source).backup(R"({"pages_per_stpe": 5})", target);
        FAIL();
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_INVALID_ARGUMENT);
        EXPECT_NE(std::string(e.what()).find("pages_per_stpe"), std::string::npos);
    }
    EXPECT_TRUE(target.names().empty());
}

}  // namespace
}  // namespace holdfast::testing
