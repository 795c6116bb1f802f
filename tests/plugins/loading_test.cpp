// Loading real plugin libraries: the good fixtures work through the client
// wrappers; each bad fixture fails with its one-line reason while the good
// plugins on the same search path keep working.
#include "core/cancellation.hpp"
#include "core/error.hpp"
#include "plugins/catalog.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <mutex>

namespace holdfast::plugins {
namespace {

using nlohmann::json;
using testing::fixture;
using testing::fixture_manifest;
using testing::temp_dir;
using testing::write_file;
namespace fs = std::filesystem;

const std::string host_abi = std::to_string(HF_ABI_VERSION_MAJOR) + "." + std::to_string(HF_ABI_VERSION_MINOR);

std::vector<std::byte> bytes(std::string_view text) {
    auto view = std::as_bytes(std::span(text.data(), text.size()));
    return {view.begin(), view.end()};
}

// Receives a backup in memory.
class memory_target : public client::backup_target {
public:
    class writer : public client::stream_writer {
    public:
        explicit writer(std::string& out) : out_(out) {}
        void write(std::span<const std::byte> data) override {
            out_.append(reinterpret_cast<const char*>(data.data()), data.size());
        }
        void finish(bool commit) override { committed = commit; }
        bool committed = false;

    private:
        std::string& out_;
    };
    std::unique_ptr<client::stream_writer> begin_stream(const std::string& name) override {
        return std::make_unique<writer>(streams[name]);
    }
    void set_metadata(const std::string& json_text) override { metadata = json_text; }

    std::map<std::string, std::string> streams;
    std::string metadata;
};

// The good plugins of fixtures/good work end to end through `c`.
void expect_good_plugins_work(catalog& c) {
    auto store = c.open_storage("test-storage", "{}");
    store.put("packs/ab/1", bytes("hello, plugin"));
    EXPECT_EQ(store.get("packs/ab/1"), bytes("hello, plugin"));
    EXPECT_EQ(store.get("packs/ab/1", 7, 6), bytes("plugin"));
    ASSERT_EQ(store.list("packs/").size(), 1u);
    EXPECT_EQ(store.stat("packs/ab/1")->size, 13u);
    store.remove("packs/ab/1");
    EXPECT_FALSE(store.stat("packs/ab/1").has_value());

    auto engine = c.open_engine("test-engine", R"({"label":"nightly"})");
    json probe = json::parse(engine.probe());
    EXPECT_EQ(probe["reachable"], true);
    EXPECT_EQ(probe["name"], "test-engine");
    EXPECT_EQ(probe["settings"]["label"], "nightly");

    memory_target target;
    engine.backup("{}", target);
    EXPECT_EQ(target.streams["settings"], R"({"label":"nightly"})");
    EXPECT_EQ(target.metadata, R"({"streams":1})");
}

TEST(Loading, GoodPluginsLoadAndWork) {
    catalog c = catalog::discover({fixture("good")}, {});
    c.load_all();
    for (const auto& e : c.entries()) EXPECT_EQ(e.status, entry::state::ok) << describe(e);
    expect_good_plugins_work(c);
    EXPECT_EQ(c.engine("test-engine").struct_size, sizeof(hf_engine_functions));
    EXPECT_EQ(c.storage("test-storage").features & HF_STORAGE_FEATURE_RANGED_GET, HF_STORAGE_FEATURE_RANGED_GET);
}

struct bad_case {
    const char* case_name;
    const char* plugin;  // the fixture's directory and manifest name
    entry::state status;
    std::string reason;  // exact, or a prefix when `prefix_only`
    bool prefix_only = false;
};

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const bad_case& c, std::ostream* out) { *out << c.case_name; }

std::vector<bad_case> bad_cases() {
    using s = entry::state;
    return {
        {"invalid-json", "bad-json", s::invalid, "invalid JSON at line 4, column ", true},
        {"missing-field", "missing-kind", s::invalid, "missing required field \"kind\""},
        {"wrong-type", "wrong-type", s::invalid, "field \"schemes\" must be an array of strings"},
        {"library-not-found", "no-library", s::load_failed,
         "library not found: " + (fixture("library-not-found") / "no-library" / "holdfast_no-library.so").string()},
        {"not-elf", "not-elf", s::load_failed, "cannot load the library: ", true},
        {"no-entry", "no-entry", s::load_failed,
         "the library does not export hf_plugin_entry (not a holdfast plugin, or built without the SDK's "
         "export macro)"},
        {"null-entry", "null-entry", s::load_failed, "hf_plugin_entry returned NULL"},
        {"small-descriptor", "small-descriptor", s::load_failed,
         "the plugin descriptor is too small (16 bytes; ABI " + std::to_string(HF_ABI_VERSION_MAJOR) +
             ".0 needs at least 48)"},
        {"bad-magic", "bad-magic", s::load_failed,
         "wrong magic 0xdeadbeef in the plugin descriptor (expected 0x4c504648, \"HFPL\"): not a holdfast plugin"},
        {"abi-major", "abi-major", s::load_failed,
         "ABI major version mismatch: the library was built for ABI 2." + std::to_string(HF_ABI_VERSION_MINOR) +
             ", this host speaks ABI " + host_abi},
        {"abi-disagree", "abi-disagree", s::load_failed,
         "the manifest says abi_version 1.7 but the library was built for ABI " + host_abi},
        {"name-mismatch", "name-mismatch", s::load_failed,
         "the library's plugin name \"someone-else\" differs from the manifest's \"name-mismatch\""},
        {"kind-mismatch", "kind-mismatch", s::load_failed,
         "the library is a storage plugin but the manifest says kind \"engine\""},
        {"null-functions", "null-functions", s::load_failed, "the plugin's function table is NULL"},
        {"small-table", "small-table", s::load_failed,
         "the plugin's engine function table is too small (16 bytes; the required functions need 48)"},
        {"init-fails", "init-fails", s::load_failed, "init failed: licence file /etc/raw.licence is missing"},
        {"init-throws", "init-throws", s::load_failed, "init failed: boom in initialize"},
        {"init-throws-raw", "init-throws-raw", s::load_failed,
         "init threw a C++ exception across the C ABI: raw boom"},
    };
}

class BadPlugin : public ::testing::TestWithParam<bad_case> {};

TEST_P(BadPlugin, IsReportedInOneLineAndTheOthersStillWork) {
    const bad_case& bad = GetParam();
    // The bad plugin first, so that it is tried before the good ones.
    catalog c = catalog::discover({fixture(bad.case_name), fixture("good")}, {});
    c.load_all();
    const fs::path manifest = fixture_manifest(bad.case_name, bad.plugin);
    auto it = std::find_if(c.entries().begin(), c.entries().end(),
                           [&](const entry& e) { return e.manifest_file == manifest; });
    ASSERT_NE(it, c.entries().end()) << "fixture manifest not found: " << manifest;
    const entry& e = *it;

    EXPECT_EQ(e.status, bad.status) << describe(e);
    if (bad.prefix_only) {
        EXPECT_EQ(e.reason.rfind(bad.reason, 0), 0u) << e.reason;
    } else {
        EXPECT_EQ(e.reason, bad.reason);
    }
    const std::string line = describe(e);
    EXPECT_NE(line.find(manifest.string()), std::string::npos) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;

    // Asking for it by name gives the same line, as holdfast::plugin_unavailable.
    if (e.info != nullptr) {
        try {
            if (e.info->kind == plugin_kind::engine) c.engine(e.info->name);
            else c.storage(e.info->name);
            FAIL() << "a bad plugin loaded: " << bad.case_name;
        } catch (const plugin_unavailable& error) {
            EXPECT_EQ(std::string(error.what()), line);
        }
    }

    expect_good_plugins_work(c);
    for (const auto& other : c.entries()) {
        if (&other != &e) {
            EXPECT_EQ(other.status, entry::state::ok) << describe(other);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BadPlugin, ::testing::ValuesIn(bad_cases()),
                         [](const ::testing::TestParamInfo<bad_case>& param) {
                             std::string name = param.param.case_name;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(Loading, NotElfReasonCarriesTheLoadersMessage) {
    catalog c = catalog::discover({fixture("not-elf")}, {});
    c.load_all();
    ASSERT_EQ(c.entries().size(), 1u);
    const std::string& reason = c.entries()[0].reason;
    // dlopen names the file and says what is wrong with it.
    EXPECT_NE(reason.find((fixture("not-elf") / "not-elf" / "holdfast_not-elf.so").string()), std::string::npos)
        << reason;
    EXPECT_TRUE(reason.find("invalid ELF header") != std::string::npos ||
                reason.find("file too short") != std::string::npos)
        << reason;
}

TEST(Loading, ManifestDeclaringAnotherMajorIsRefusedBeforeLoading) {
    temp_dir dir;
    const fs::path library = fixture("good") / "test-engine" / "holdfast_test-engine.so";
    write_file(dir.path() / "test-engine.json", testing::manifest_json("test-engine", "engine", library, "2.0"));
    catalog c = catalog::discover({dir.path()}, {});
    c.load_all();
    ASSERT_EQ(c.entries().size(), 1u);
    EXPECT_EQ(c.entries()[0].status, entry::state::load_failed);
    EXPECT_EQ(c.entries()[0].reason,
              "ABI major version mismatch: the manifest declares ABI 2.0, this host speaks ABI " + host_abi);
}

TEST(Loading, MinorVersionIsNegotiatedDown) {
    catalog c = catalog::discover({fixture("future-minor")}, {});
    auto engine = c.open_engine("future-minor", "{}");
    json probe = json::parse(engine.probe());
    // The raw fixture was built for ABI 1.5 and reports what its init was given.
    EXPECT_EQ(probe["abi_minor"], std::min(HF_ABI_VERSION_MINOR, 5));
    // Its table lacks nothing required; the optional functions it left NULL
    // stay NULL in the host's copy.
    EXPECT_FALSE(engine.can_verify());
    EXPECT_EQ(c.engine("future-minor").detect, nullptr);
}

// Plugins built for older minors still load under this host: a 1.0 plugin's table ends
// before clone, so the host's copy has none, and a 1.1 plugin's clone is seen.
TEST(Loading, Abi10PluginLoadsWithoutClone) {
    catalog c = catalog::discover({fixture("abi-1-0"), fixture("abi-1-1")}, {});
    c.load_all();
    for (const auto& e : c.entries()) EXPECT_EQ(e.status, entry::state::ok) << describe(e);

    auto old = c.open_engine("abi-1-0", "{}");
    EXPECT_EQ(json::parse(old.probe())["abi_minor"], 0);
    EXPECT_FALSE(old.can_clone());
    EXPECT_EQ(c.engine("abi-1-0").clone, nullptr);
    auto target = c.open_engine("abi-1-0", "{}");
    try {
        (void)old.clone(target, "{}");
        FAIL() << "a 1.0 plugin cloned";
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_UNSUPPORTED);
    }

    auto one_one = c.open_engine("abi-1-1", "{}");
    EXPECT_EQ(json::parse(one_one.probe())["abi_minor"], 1);
    ASSERT_TRUE(one_one.can_clone());
    auto copy = c.open_engine("abi-1-1", "{}");
    EXPECT_EQ(one_one.clone(copy, R"({"database":"a","target":"b"})"), R"({"cloned":true})");
}

TEST(Loading, LibrariesAreLoadedOncePerProcess) {
    catalog first = catalog::discover({fixture("good")}, {});
    catalog second = catalog::discover({fixture("good")}, {});
    EXPECT_EQ(&first.engine("test-engine"), &second.engine("test-engine"));
    EXPECT_EQ(first.host_services("test-engine"), second.host_services("test-engine"));
    EXPECT_NE(first.host_services("test-engine"), first.host_services("test-storage"))
        << "each plugin has its own services";
}

TEST(Loading, WrongKindIsRefused) {
    catalog c = catalog::discover({fixture("good")}, {});
    try {
        c.engine("test-storage");
        FAIL();
    } catch (const plugin_unavailable& e) {
        EXPECT_EQ(std::string(e.what()), "plugin \"test-storage\" (" +
                                             fixture_manifest("good", "test-storage").string() +
                                             "): is a storage plugin, not an engine");
    }
    EXPECT_NO_THROW(c.storage("test-storage"));
}

TEST(Loading, PluginLogsCarryThePluginName) {
    catalog c = catalog::discover({fixture("good")}, {});
    testing::log_capture logs;
    auto engine = c.open_engine("test-engine", R"({"label":"x"})");
    engine.probe();
    EXPECT_NE(logs.text().find(R"(info test-engine: opened with settings {"label":"x"})"), std::string::npos)
        << logs.text();
    // Progress reports go to the debug log for now.
    EXPECT_NE(logs.text().find("debug test-engine: probe: 1/1"), std::string::npos) << logs.text();
}

TEST(Loading, PluginsSeeCancellation) {
    catalog c = catalog::discover({fixture("good")}, {});
    auto engine = c.open_engine("test-engine", "{}");
    EXPECT_EQ(json::parse(engine.probe())["cancelled"], false);
    request_cancellation();
    bool cancelled = json::parse(engine.probe())["cancelled"].get<bool>();
    reset_cancellation();
    EXPECT_TRUE(cancelled);
}

TEST(Loading, HostServicesAreComplete) {
    catalog c = catalog::discover({fixture("good")}, {});
    const hf_host_services* services = c.host_services("test-storage");
    ASSERT_NE(services, nullptr);
    EXPECT_EQ(services->struct_size, sizeof(hf_host_services));
    EXPECT_NE(services->log, nullptr);
    EXPECT_NE(services->progress, nullptr);
    ASSERT_NE(services->cancelled, nullptr);
    EXPECT_EQ(services->cancelled(services->context), 0);
}

}  // namespace
}  // namespace holdfast::plugins
