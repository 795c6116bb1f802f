// Settings (path or sqlite:// URL) and probe.
#include "sqlite_fixture.hpp"

#include "support/sqlite_sample.hpp"

#include <sqlite3.h>

namespace holdfast::testing {
namespace {

namespace fs = std::filesystem;

using sqlite_settings = sqlite_engine_test;

hf_status open_status(const std::string& settings, const hf_host_services* host, std::string* message = nullptr) {
    try {
        open_engine("sqlite", settings, host);
        return HF_OK;
    } catch (const client::plugin_error& e) {
        if (message != nullptr) *message = e.what();
        return e.code();
    }
}

TEST_F(sqlite_settings, a_url_names_the_database) {
    fs::create_directory(dir / "with space");
    const auto db = dir / "with space" / "app.db";
    make_sample_database(db, 5);
    const std::string url = "sqlite://" + (dir.path() / "with%20space" / "app.db").string();
    memory_target target;
    open_engine("sqlite", nlohmann::json{{"url", url}}.dump(), host.services()).backup("{}", target);
    EXPECT_TRUE(target.committed("database"));
    EXPECT_EQ(nlohmann::json::parse(target.metadata())["row_counts"]["users"], 5);

    const auto probe =
        nlohmann::json::parse(open_engine("sqlite", nlohmann::json{{"url", url}}.dump(), host.services()).probe());
    EXPECT_EQ(probe["path"], db.string());
}

TEST_F(sqlite_settings, bad_settings_are_refused_with_a_reason) {
    std::string message;
    EXPECT_EQ(open_status(R"({"url": "sqlite://host/tmp/x.db"})", host.services(), &message), HF_ERR_INVALID_ARGUMENT);
    EXPECT_NE(message.find("sqlite:///absolute/path"), std::string::npos) << message;
    EXPECT_EQ(open_status(R"({"url": "sqlite:relative.db"})", host.services()), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(open_status(R"({"url": "postgresql://localhost/db"})", host.services()), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(open_status(R"({"url": "sqlite:///tmp/x.db?mode=ro"})", host.services()), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(open_status(R"({"url": "sqlite:///tmp/%zz.db"})", host.services()), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(open_status(R"({})", host.services()), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(open_status(R"({"path": "/tmp/a.db", "url": "sqlite:///tmp/b.db"})", host.services()),
              HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(open_status(R"({"path": "/tmp/a.db", "url": "sqlite:///tmp/a.db"})", host.services()), HF_OK);
    EXPECT_EQ(open_status(R"({"path": "/tmp/a.db", "colour": "red"})", host.services(), &message), HF_ERR_INVALID_ARGUMENT);
    EXPECT_NE(message.find("colour"), std::string::npos) << message;
    EXPECT_EQ(open_status(R"({"path": 42})", host.services()), HF_ERR_INVALID_ARGUMENT);
}

TEST_F(sqlite_settings, probe_reports_a_database) {
    const auto db = dir / "app.db";
    make_sample_database(db, 20, /*wal=*/true);
    const auto probe = nlohmann::json::parse(open(db).probe());
    EXPECT_EQ(probe["reachable"], true);
    EXPECT_EQ(probe["readable"], true);
    EXPECT_EQ(probe["path"], db.string());
    EXPECT_EQ(probe["size"], fs::file_size(db));
    EXPECT_EQ(probe["sqlite_version"], sqlite3_libversion());
    EXPECT_EQ(probe["page_size"], 4096);
    EXPECT_GT(probe["page_count"].get<int>(), 1);
    EXPECT_EQ(probe["journal_mode"], "wal");
    EXPECT_FALSE(probe.contains("error"));
}

TEST_F(sqlite_settings, probe_reports_what_is_wrong_without_failing) {
    auto missing = nlohmann::json::parse(open(dir / "missing.db").probe());
    EXPECT_EQ(missing["reachable"], false);
    EXPECT_TRUE(missing["error"].is_string());
    EXPECT_FALSE(fs::exists(dir / "missing.db"));  // probing created nothing

    write_file(dir / "text.db", to_bytes(std::string(8192, 'x')));
    auto text = nlohmann::json::parse(open(dir / "text.db").probe());
    EXPECT_EQ(text["reachable"], true);
    EXPECT_EQ(text["readable"], false);
    EXPECT_NE(text["error"].get<std::string>().find("not a database"), std::string::npos) << text.dump();
}

TEST_F(sqlite_settings, backup_of_a_missing_database_fails_cleanly) {
    memory_target target;
    try {
        open(dir / "missing.db").backup("{}", target);
        FAIL();
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_NOT_FOUND);
    }
    EXPECT_TRUE(target.names().empty());
    EXPECT_FALSE(fs::exists(dir / "missing.db"));
}

}  // namespace
}  // namespace holdfast::testing
