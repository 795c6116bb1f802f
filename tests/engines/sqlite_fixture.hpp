// What the sqlite tests share: a scratch directory, $TMPDIR pointed at an
// empty directory (to catch leftover temporary files), a test host, and
// shorthands for opening the engine and backing up.
#pragma once

#include "support/plugins.hpp"
#include "support/scratch_dir.hpp"
#include "support/test_host.hpp"

#include <memory_streams.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace holdfast::testing {

class sqlite_engine_test : public ::testing::Test {
protected:
    static std::string settings_for(const std::filesystem::path& db) {
        return nlohmann::json{{"path", db.string()}}.dump();
    }
    client::engine_instance open(const std::filesystem::path& db) {
        return open_engine("sqlite", settings_for(db), host.services());
    }
    memory_target backup(const std::filesystem::path& db, const std::string& options = "{}") {
        memory_target target;
        open(db).backup(options, target);
        return target;
    }
    nlohmann::json restore(const std::filesystem::path& db, memory_origin& origin, const nlohmann::json& options) {
        return nlohmann::json::parse(open(db).restore(options.dump(), origin));
    }
    void TearDown() override { EXPECT_TRUE(tmp.entries().empty()) << "temporary files left in $TMPDIR"; }

    scratch_dir dir;
    scratch_dir tmp;
    tmpdir_override tmp_guard{tmp.path()};
    test_host host;
};

}  // namespace holdfast::testing
