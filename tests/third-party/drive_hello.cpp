// Drives the out-of-tree example plugin (examples/hello-engine), as built by
// run.cmake against the installed SDK, through the host-side SDK helpers:
// load it like the host does, then probe, back up, restore, verify, detect.
//
//   holdfast_third_party_driver <path/to/holdfast_hello.so> <scratch dir>
#include "test_support.hpp"

#include <holdfast/client/engine.hpp>

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
namespace hc = holdfast::client;
using holdfast::testing::memory_backup;
using holdfast::testing::recording_host;

std::string plugin_path;
fs::path scratch;

const hf_plugin_descriptor* hello() {
    static const hf_plugin_descriptor* descriptor = [] {
        void* library = dlopen(plugin_path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (library == nullptr) throw std::runtime_error(dlerror());
        void* entry = dlsym(library, HF_PLUGIN_ENTRY_SYMBOL);
        if (entry == nullptr) throw std::runtime_error(dlerror());
        return reinterpret_cast<hf_plugin_entry_fn>(entry)();
    }();
    return descriptor;
}

const hf_engine_functions* functions() { return static_cast<const hf_engine_functions*>(hello()->functions); }

void write_file(const fs::path& path, const std::string& content) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

// Scratch paths are plain ASCII without quotes or backslashes; no JSON escaping needed.
std::string settings_for(const fs::path& path) { return R"({"path":")" + path.string() + R"(","fsync":true})"; }

hf_status failure_code(const std::function<void()>& call) {
    try {
        call();
    } catch (const hc::plugin_error& e) {
        return e.code();
    }
    return HF_OK;
}

class Hello : public ::testing::Test {
protected:
    void SetUp() override {
        dir = scratch / ::testing::UnitTest::GetInstance()->current_test_info()->name();
        fs::remove_all(dir);
        fs::create_directories(dir);
        content = "HELLO-KV 1\n";
        for (int i = 0; i < 20000; ++i) content += "key" + std::to_string(i) + "=value " + std::to_string(i * 7) + "\n";
        write_file(dir / "data.kv", content);
    }

    fs::path dir;
    std::string content;
    recording_host host;
};

TEST_F(Hello, Descriptor) {
    EXPECT_EQ(hello()->magic, HF_PLUGIN_MAGIC);
    EXPECT_EQ(hello()->struct_size, sizeof(hf_plugin_descriptor));
    EXPECT_EQ(hello()->kind, static_cast<hf_plugin_kind>(HF_PLUGIN_KIND_ENGINE));
    EXPECT_EQ(hello()->abi_major, HF_ABI_VERSION_MAJOR);
    EXPECT_STREQ(hello()->name, "hello");
    EXPECT_STREQ(hello()->version, "1.0.0");
    EXPECT_NE(functions()->detect, nullptr);
}

TEST_F(Hello, BackupRestoreVerify) {
    hc::engine_instance engine(functions(), settings_for(dir / "data.kv"), host.services());
    const std::string probe = engine.probe();
    EXPECT_NE(probe.find(R"("reachable":true)"), std::string::npos) << probe;
    EXPECT_NE(probe.find(R"("hello_kv":true)"), std::string::npos) << probe;

    memory_backup backup;
    engine.backup("{}", backup);
    EXPECT_EQ(backup.get("file.data").data, content);
    EXPECT_EQ(backup.metadata_json(), R"({"size":)" + std::to_string(content.size()) + "}");
    EXPECT_EQ(host.last_progress(), content.size());

    const fs::path target = dir / "restored.kv";
    write_file(target, "HELLO-KV 1\nold=1\n");
    const std::string report = engine.restore(R"({"target":")" + target.string() + R"("})", backup);
    EXPECT_NE(report.find(R"("bytes":)" + std::to_string(content.size())), std::string::npos) << report;
    EXPECT_EQ(read_file(target), content);
    EXPECT_FALSE(fs::exists(dir / "restored.kv.hello-restore"));

    ASSERT_TRUE(engine.can_verify());
    const auto verified = engine.verify("{}", backup);
    EXPECT_TRUE(verified.passed) << verified.failure;
    EXPECT_NE(verified.report.find(R"("ok":true)"), std::string::npos) << verified.report;

    // Restoring over the source itself (no target option).
    write_file(dir / "data.kv", "HELLO-KV 1\nchanged=1\n");
    engine.restore("{}", backup);
    EXPECT_EQ(read_file(dir / "data.kv"), content);
}

TEST_F(Hello, FailedRestoreLeavesTheOldFile) {
    hc::engine_instance engine(functions(), settings_for(dir / "data.kv"), host.services());
    memory_backup corrupt;
    corrupt.add("file.data", "not a hello file");
    EXPECT_EQ(failure_code([&] { engine.restore("{}", corrupt); }), HF_ERR_CORRUPT);
    // Verify finds the damage and says so in its report, rather than failing to run.
    const auto verified = engine.verify("{}", corrupt);
    EXPECT_FALSE(verified.passed);
    EXPECT_EQ(verified.failure, "the backed-up data is not a hello-kv file");
    EXPECT_NE(verified.report.find(R"("ok":false)"), std::string::npos) << verified.report;
    EXPECT_EQ(read_file(dir / "data.kv"), content);
    EXPECT_FALSE(fs::exists(dir / "data.kv.hello-restore"));

    memory_backup empty;
    EXPECT_EQ(failure_code([&] { engine.restore("{}", empty); }), HF_ERR_NOT_FOUND);
    EXPECT_EQ(read_file(dir / "data.kv"), content);
}

TEST_F(Hello, RefusesWhatItDoesNotKnow) {
    EXPECT_EQ(failure_code([&] { hc::engine_instance(functions(), "{}", host.services()); }), HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(failure_code([&] { hc::engine_instance(functions(), R"({"path":"/x","color":"red"})", host.services()); }),
              HF_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(failure_code([&] { hc::engine_instance(functions(), R"({"path":"/x","fsync":"yes"})", host.services()); }),
              HF_ERR_INVALID_ARGUMENT);

    hc::engine_instance engine(functions(), settings_for(dir / "data.kv"), host.services());
    memory_backup backup;
    EXPECT_EQ(failure_code([&] { engine.backup(R"({"fast":true})", backup); }), HF_ERR_INVALID_ARGUMENT);

    write_file(dir / "plain.txt", "just text\n");
    hc::engine_instance plain(functions(), settings_for(dir / "plain.txt"), host.services());
    EXPECT_EQ(failure_code([&] { plain.backup("{}", backup); }), HF_ERR_PRECONDITION);
    EXPECT_FALSE(backup.get("file.data").committed);

    hc::engine_instance missing(functions(), settings_for(dir / "missing.kv"), host.services());
    EXPECT_NE(missing.probe().find(R"("reachable":false)"), std::string::npos);
    EXPECT_EQ(failure_code([&] { missing.backup("{}", backup); }), HF_ERR_NOT_FOUND);
}

TEST_F(Hello, BackupIsCancellable) {
    hc::engine_instance engine(functions(), settings_for(dir / "data.kv"), host.services());
    host.cancel();
    memory_backup backup;
    EXPECT_EQ(failure_code([&] { engine.backup("{}", backup); }), HF_ERR_CANCELLED);
    EXPECT_FALSE(backup.get("file.data").committed);
}

TEST_F(Hello, DetectFindsFilesByTheirHeader) {
    fs::create_directories(dir / "nested" / "deeper");
    write_file(dir / "nested" / "deeper" / "other.db", "HELLO-KV 1\n");
    write_file(dir / "nested" / "plain.txt", "HELLO-KV 2\n");
    fs::create_symlink(dir / "data.kv", dir / "nested" / "link.kv");  // not followed
    auto found = hc::engine_instance::detect(functions(), dir.string(), host.services());
    std::sort(found.begin(), found.end());
    ASSERT_EQ(found.size(), 2u);
    EXPECT_NE(found[0].find((dir / "data.kv").string()), std::string::npos) << found[0];
    EXPECT_NE(found[1].find((dir / "nested" / "deeper" / "other.db").string()), std::string::npos) << found[1];
    EXPECT_NE(found[0].find(R"("engine":"hello")"), std::string::npos);

    EXPECT_EQ(failure_code([&] { hc::engine_instance::detect(functions(), (dir / "nope").string(), host.services()); }),
              HF_ERR_NOT_FOUND);
}

}  // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <holdfast_hello.so> <scratch dir>\n", argv[0]);
        return 2;
    }
    plugin_path = argv[1];
    scratch = argv[2];
    return RUN_ALL_TESTS();
}
