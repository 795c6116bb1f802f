// The pipeline driven by a real engine plugin (exec), loaded through the host's catalog
// from the build tree: what an engine writes is what it reads back, and a damaged snapshot
// never reaches the restore command whole.
#include "pipeline_fixture.hpp"

#include "plugins/catalog.hpp"
#include "repository/snapshots.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace holdfast::pipeline::testing {
namespace {

namespace fs = std::filesystem;
using repository::test_data::text_stream;

plugins::catalog& build_tree_catalog() {
    static plugins::catalog catalog = plugins::catalog::discover({HOLDFAST_TEST_PLUGIN_DIR}, plugins::plugin_policy{});
    return catalog;
}

class engine_pipeline_test : public pipeline_test {
protected:
    void SetUp() override {
        pipeline_test::SetUp();
        files_ = dir().string() + "-files";
        fs::create_directories(files_);
    }
    void TearDown() override {
        fs::remove_all(files_);
        pipeline_test::TearDown();
    }

    fs::path write_file(const std::string& name, const bytes& data) const {
        const auto path = files_ / name;
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data.data()),
                                                     static_cast<std::streamsize>(data.size()));
        return path;
    }
    static bytes read_file(const fs::path& path) {
        bytes data(fs::file_size(path));
        std::ifstream(path, std::ios::binary).read(reinterpret_cast<char*>(data.data()),
                                                   static_cast<std::streamsize>(data.size()));
        return data;
    }

    client::engine_instance exec_engine(const nlohmann::json& settings) {
        return build_tree_catalog().open_engine("exec", settings.dump());
    }

    backup_outcome backup_with(repository::repo& repo, client::engine_instance& engine) {
        backup_request request;
        request.source = "exec-test";
        request.engine = "exec";
        request.engine_version = "0";
        return run_backup(repo, request, [&](client::backup_target& target) { engine.backup("{}", target); });
    }

    fs::path files_;
};

TEST_F(engine_pipeline_test, ExecBackupAndRestoreRoundTrip) {
    repository::repo repo = init();
    const auto data = text_stream(5 * 1024 * 1024 + 3, 21);
    const auto input = write_file("input", data);
    const auto output = files_ / "output";
    auto engine = exec_engine({{"backup_command", {"cat", input.string()}},
                               {"restore_command", {"sh", "-c", "cat > \"$0\"", output.string()}}});
    const auto outcome = backup_with(repo, engine);
    const auto saved = repository::load_snapshot(repo, outcome.id);
    ASSERT_EQ(saved.streams.size(), 1u);
    EXPECT_EQ(saved.streams[0].name, "stdout");
    EXPECT_EQ(saved.metadata["bytes"], data.size());  // the engine's metadata

    snapshot_origin origin(repo, saved);
    const auto report = nlohmann::json::parse(engine.restore("{}", origin));
    EXPECT_EQ(report["bytes"], data.size());
    EXPECT_EQ(read_file(output), data);
}

TEST_F(engine_pipeline_test, AFailingCommandLeavesNoSnapshot) {
    repository::repo repo = init();
    auto engine = exec_engine({{"backup_command", {"sh", "-c", "head -c 300000 /dev/zero; exit 3"}}});
    EXPECT_THROW(backup_with(repo, engine), client::plugin_error);
    EXPECT_TRUE(objects("snapshots/").empty());
}

TEST_F(engine_pipeline_test, TheRestoreCommandNeverReceivesAWrongStreamWhole) {
    repository::repo repo = init();
    const auto data = text_stream(3 * 1024 * 1024, 22);
    const auto input = write_file("input", data);
    const auto output = files_ / "output";
    auto engine = exec_engine({{"backup_command", {"cat", input.string()}},
                               {"restore_command", {"sh", "-c", "cat > \"$0\"", output.string()}}});
    auto snap = repository::load_snapshot(repo, backup_with(repo, engine).id);
    snap.streams[0].checksum.hex = std::string(32, 'a');  // as if the content had been swapped
    snapshot_origin origin(repo, snap);
    EXPECT_THROW(engine.restore("{}", origin), client::plugin_error);
    ASSERT_TRUE(origin.corruption());
    EXPECT_LT(fs::exists(output) ? fs::file_size(output) : 0, data.size());
}

}  // namespace
}  // namespace holdfast::pipeline::testing
