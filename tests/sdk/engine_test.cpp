// The two C++ sides of the engine ABI against each other, in process: an
// engine written with holdfast/plugin/engine.hpp (and HOLDFAST_ENGINE_PLUGIN)
// driven through holdfast::client::engine_instance, with the host's backup
// target and restore origin kept in memory. Also a plain C engine (abi_c.c).
#include "abi_c.h"
#include "test_support.hpp"

#include <holdfast/client/engine.hpp>
#include <holdfast/plugin/engine.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <thread>

namespace {

namespace hp = holdfast::plugin;
namespace hc = holdfast::client;
using holdfast::testing::memory_backup;
using holdfast::testing::recording_host;

// The adapter constructs the engine, so each test says what the next backup or
// restore does through these hooks.
class test_engine : public hp::engine {
public:
    static inline std::function<void(hp::backup_sink&)> on_backup;
    static inline std::function<std::string(hp::restore_source&)> on_restore;
    static inline int initialized = 0;

    test_engine(std::string_view settings, hp::host_services host) : host_(host) {
        if (settings.find("\"bad\"") != std::string_view::npos)
            throw hp::error(HF_ERR_INVALID_ARGUMENT, "setting 'bad' is not allowed");
        host_.info("opened with " + std::string(settings));
    }
    std::string probe() override {
        host_.throw_if_cancelled();
        return R"({"reachable":true})";
    }
    void backup(std::string_view options, hp::backup_sink& sink) override {
        if (options != "{}") throw hp::error(HF_ERR_INVALID_ARGUMENT, "unknown option in " + std::string(options));
        host_.throw_if_cancelled();
        on_backup(sink);
    }
    std::string restore(std::string_view, hp::restore_source& source) override { return on_restore(source); }

    static void detect(std::string_view path, hp::host_services, const hp::detect_callback& found) {
        found(R"({"path":")" + std::string(path) + R"(/one","engine":"sdk-test"})");
        found(R"({"path":")" + std::string(path) + R"(/two","engine":"sdk-test"})");
    }
    static void initialize(hp::host_services host) {
        ++initialized;
        host.debug("initialized");
    }

private:
    hp::host_services host_;
};

// An engine that can verify: each test says what its verify does. Driven
// through its adapter's table directly (one HOLDFAST_ENGINE_PLUGIN per library).
class verifying_engine : public hp::engine {
public:
    static inline std::function<hp::verify_result(std::string_view, hp::restore_source&)> on_verify;

    verifying_engine(std::string_view, hp::host_services) {}
    std::string probe() override { return R"({"reachable":true})"; }
    void backup(std::string_view, hp::backup_sink&) override {}
    std::string restore(std::string_view, hp::restore_source&) override { return "{}"; }
    hp::verify_result verify(std::string_view options, hp::restore_source& source) {
        return on_verify(options, source);
    }
};

// An engine that can clone (ABI 1.1): copies its label into the target's.
class cloning_engine : public hp::engine {
public:
    static inline std::function<std::string(std::string_view, cloning_engine&, cloning_engine&)> on_clone;

    cloning_engine(std::string_view settings, hp::host_services) : label(settings) {}
    std::string probe() override { return R"({"reachable":true})"; }
    void backup(std::string_view, hp::backup_sink&) override {}
    std::string restore(std::string_view, hp::restore_source&) override { return "{}"; }
    std::string clone(std::string_view options, cloning_engine& target) { return on_clone(options, *this, target); }

    std::string label;
};

}  // namespace

HOLDFAST_ENGINE_PLUGIN(test_engine, "sdk-test", "0.0.1")

namespace {

using adapter = hp::detail::engine_adapter<test_engine>;
using verifying_adapter = hp::detail::engine_adapter<verifying_engine>;
using cloning_adapter = hp::detail::engine_adapter<cloning_engine>;
static_assert(!adapter::has_verify && verifying_adapter::has_verify);
static_assert(!adapter::has_clone && !verifying_adapter::has_clone && cloning_adapter::has_clone);

std::string read_all(hp::input_stream& in, std::size_t buffer_size) {
    std::string out;
    std::vector<std::byte> buffer(buffer_size);
    while (std::size_t n = in.read(buffer)) out += holdfast::testing::to_string(std::span(buffer).first(n));
    return out;
}

// What an engine sees of a source without seek: can_seek() false, and seek() refused with
// HF_ERR_UNSUPPORTED without calling the host.
void expect_no_seek(hp::input_stream& in) {
    EXPECT_FALSE(in.can_seek());
    try {
        in.seek(3);
        ADD_FAILURE() << "seek without a host function";
    } catch (const hp::error& e) {
        EXPECT_EQ(e.code(), HF_ERR_UNSUPPORTED);
    }
}

class EngineRoundTrip : public ::testing::Test {
protected:
    void SetUp() override {
        test_engine::on_backup = [](hp::backup_sink&) {};
        test_engine::on_restore = [](hp::restore_source&) { return std::string("{}"); };
    }

    // Expect `call` to throw plugin_error with `code`; returns its message.
    template <typename Call>
    static std::string expect_failure(hf_status code, Call&& call) {
        try {
            call();
        } catch (const hc::plugin_error& e) {
            EXPECT_EQ(e.code(), code) << e.what();
            return e.what();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "not a plugin_error: " << e.what();
            return {};
        }
        ADD_FAILURE() << "no exception";
        return {};
    }

    hc::engine_instance open(const std::string& settings = R"({"path":"/db"})") {
        return hc::engine_instance(adapter::functions(), settings, host.services());
    }

    recording_host host;
    memory_backup backup;
};

TEST_F(EngineRoundTrip, StreamsAndMetadataGoThereAndBack) {
    std::string big;
    for (int i = 0; i < 100000; ++i) big += static_cast<char>(i % 251);
    test_engine::on_backup = [&](hp::backup_sink& sink) {
        auto main = sink.begin("main.data");
        main.write("hello, ");
        main.write(std::string("world"));
        main.finish();
        auto extra = sink.begin("extra.bin");
        extra.write(std::as_bytes(std::span(big.data(), big.size())));
        extra.finish();
        sink.begin("empty").finish();
        sink.set_metadata(R"({"rows":1})");
        sink.set_metadata(R"({"rows":2})");  // the last call wins
    };
    auto engine = open();
    engine.backup("{}", backup);

    EXPECT_EQ(backup.size(), 3u);
    EXPECT_EQ(backup.get("main.data").data, "hello, world");
    EXPECT_TRUE(backup.get("main.data").committed);
    EXPECT_EQ(backup.get("extra.bin").data, big);
    EXPECT_TRUE(backup.get("empty").committed);
    EXPECT_EQ(backup.metadata_json(), R"({"rows":2})");

    std::string seen_metadata;
    test_engine::on_restore = [&](hp::restore_source& source) {
        seen_metadata = source.metadata_json();
        std::string report;
        for (const auto& s : source.streams()) {
            auto in = source.open(s.name);
            const std::string content = read_all(in, 7);  // odd size: many short reads
            EXPECT_EQ(content.size(), s.size) << s.name;
            report += s.name + "=" + std::to_string(content.size()) + ";";
            if (s.name == "main.data") {
                EXPECT_EQ(content, "hello, world");
            } else if (s.name == "extra.bin") {
                EXPECT_EQ(content, big);
            }
        }
        return report;
    };
    EXPECT_EQ(engine.restore("{}", backup), "main.data=12;extra.bin=100000;empty=0;");
    EXPECT_EQ(seen_metadata, R"({"rows":2})");
}

TEST_F(EngineRoundTrip, ProbeAndHostServices) {
    auto engine = open();
    EXPECT_EQ(engine.probe(), R"({"reachable":true})");
    EXPECT_TRUE(host.logged(HF_LOG_INFO, R"(opened with {"path":"/db"})"));
    host.cancel();
    EXPECT_EQ(expect_failure(HF_ERR_CANCELLED, [&] { engine.probe(); }), "probing source: cancelled by the user");
}

TEST_F(EngineRoundTrip, OpenFailureKeepsCodeAndMessage) {
    EXPECT_EQ(expect_failure(HF_ERR_INVALID_ARGUMENT, [&] { open(R"({"bad":1})"); }),
              "opening source: setting 'bad' is not allowed");
}

TEST_F(EngineRoundTrip, PluginErrorKeepsCodeAndMessage) {
    test_engine::on_backup = [](hp::backup_sink&) { throw hp::error(HF_ERR_CONNECTION, "server went away"); };
    auto engine = open();
    EXPECT_EQ(expect_failure(HF_ERR_CONNECTION, [&] { engine.backup("{}", backup); }),
              "backup failed: server went away");
    EXPECT_EQ(expect_failure(HF_ERR_INVALID_ARGUMENT, [&] { engine.backup(R"({"x":1})", backup); }),
              R"(backup failed: unknown option in {"x":1})");
}

TEST_F(EngineRoundTrip, OtherExceptionsBecomeInternalErrors) {
    auto engine = open();
    test_engine::on_backup = [](hp::backup_sink&) { throw std::runtime_error("boom"); };
    EXPECT_EQ(expect_failure(HF_ERR_INTERNAL, [&] { engine.backup("{}", backup); }), "backup failed: boom");
    test_engine::on_backup = [](hp::backup_sink&) { throw 42; };
    EXPECT_EQ(expect_failure(HF_ERR_INTERNAL, [&] { engine.backup("{}", backup); }),
              "backup failed: unknown exception inside the plugin");
}

TEST_F(EngineRoundTrip, EveryStatusCodeSurvivesTheRoundTrip) {
    auto engine = open();
    for (hf_status code = HF_ERR_FAILED; code <= HF_ERR_PRECONDITION; ++code) {
        test_engine::on_backup = [code](hp::backup_sink&) { throw hp::error(code, "code " + std::to_string(code)); };
        EXPECT_EQ(expect_failure(code, [&] { engine.backup("{}", backup); }),
                  "backup failed: code " + std::to_string(code));
    }
}

TEST_F(EngineRoundTrip, HostRefusesInvalidStreamNames) {
    auto engine = open();
    const std::vector<std::string> invalid = {
        "a/b", "..", "", "a\\b", ".", ".hidden", "trailing.", "a..b", std::string(256, 'n'),
        "\xFF", "\xC0\xAF" /* overlong '/' */, "../etc/passwd",
    };
    for (const auto& name : invalid) {
        std::optional<hf_status> seen;
        test_engine::on_backup = [&](hp::backup_sink& sink) {
            try {
                sink.begin(name);
            } catch (const hp::error& e) {
                seen = e.code();
                throw;
            }
        };
        const std::string message = expect_failure(HF_ERR_INVALID_ARGUMENT, [&] { engine.backup("{}", backup); });
        EXPECT_EQ(seen, HF_ERR_INVALID_ARGUMENT) << "'" << name << "' reached the engine as another error";
        EXPECT_NE(message.find("invalid stream name"), std::string::npos) << message;
        EXPECT_FALSE(backup.has(name)) << name;
        EXPECT_FALSE(hc::valid_stream_name(name)) << name;
    }
    EXPECT_EQ(backup.size(), 0u);

    for (const std::string& name : std::vector<std::string>{"main", "base.tar", "pg_dump.custom",
                                                             "donn\xC3\xA9" "es.sql", "a-b_c.1",
                                                             std::string(255, 'n')}) {
        EXPECT_TRUE(hc::valid_stream_name(name)) << name;
        test_engine::on_backup = [&](hp::backup_sink& sink) { sink.begin(name).finish(); };
        EXPECT_NO_THROW(engine.backup("{}", backup)) << name;
        EXPECT_TRUE(backup.get(name).committed) << name;
    }
}

// A sink failure is the host's exception; it must reach the engine as a status
// (seen by engine code as holdfast::plugin::error), and come back to the host
// as the engine's failure.
TEST_F(EngineRoundTrip, HostSinkExceptionBecomesEngineFailure) {
    std::optional<hf_status> engine_saw;
    bool engine_saw_foreign_exception = false;
    test_engine::on_backup = [&](hp::backup_sink& sink) {
        auto out = sink.begin("main.data");
        try {
            out.write("data");
        } catch (const hp::error& e) {
            engine_saw = e.code();
            throw;
        } catch (...) {
            engine_saw_foreign_exception = true;
            throw;
        }
        out.finish();
    };
    backup.before_write = [](const std::string&) { throw std::runtime_error("repository full"); };
    auto engine = open();
    EXPECT_EQ(expect_failure(HF_ERR_FAILED, [&] { engine.backup("{}", backup); }),
              "backup failed: writing a backup stream: repository full");
    EXPECT_EQ(engine_saw, HF_ERR_FAILED);
    EXPECT_FALSE(engine_saw_foreign_exception);
    // The unfinished stream was abandoned by output_stream's destructor.
    EXPECT_TRUE(backup.get("main.data").finished);
    EXPECT_FALSE(backup.get("main.data").committed);
}

TEST_F(EngineRoundTrip, HostPluginErrorCodeIsPreserved) {
    test_engine::on_backup = [](hp::backup_sink& sink) { sink.begin("main").write("x"); };
    backup.before_write = [](const std::string&) { throw hc::plugin_error(HF_ERR_NO_SPACE, "no space left"); };
    auto engine = open();
    EXPECT_EQ(expect_failure(HF_ERR_NO_SPACE, [&] { engine.backup("{}", backup); }),
              "backup failed: writing a backup stream: no space left");

    // Duplicate stream names are the target's to refuse.
    backup.before_write = nullptr;
    test_engine::on_backup = [](hp::backup_sink& sink) { sink.begin("main"); };
    expect_failure(HF_ERR_ALREADY_EXISTS, [&] { engine.backup("{}", backup); });
}

TEST_F(EngineRoundTrip, StreamUsedAfterFinishIsAnErrorNotACrash) {
    test_engine::on_backup = [](hp::backup_sink& sink) {
        auto out = sink.begin("once");
        out.finish();
        out.write("late");
    };
    auto engine = open();
    const std::string message = expect_failure(HF_ERR_INTERNAL, [&] { engine.backup("{}", backup); });
    EXPECT_NE(message.find("after finish()"), std::string::npos) << message;
    EXPECT_TRUE(backup.get("once").committed);

    test_engine::on_backup = [](hp::backup_sink& sink) {
        auto out = sink.begin("twice");
        out.finish();
        out.finish();
    };
    expect_failure(HF_ERR_INTERNAL, [&] { engine.backup("{}", backup); });
}

TEST_F(EngineRoundTrip, StreamsWrittenFromSeveralThreads) {
    test_engine::on_backup = [](hp::backup_sink& sink) {
        auto a = sink.begin("a");
        auto b = sink.begin("b");
        auto fill = [](hp::output_stream& out, char c) {
            for (int i = 0; i < 1000; ++i) out.write(std::string(10, c));
        };
        std::thread ta(fill, std::ref(a), 'a'), tb(fill, std::ref(b), 'b');
        ta.join();
        tb.join();
        a.finish();
        b.finish();
    };
    auto engine = open();
    engine.backup("{}", backup);
    EXPECT_EQ(backup.get("a").data, std::string(10000, 'a'));
    EXPECT_EQ(backup.get("b").data, std::string(10000, 'b'));
}

// ABI 1.2: the engine seeks through the client's trampoline, on two handles of one stream
// used alternately; each keeps its own position.
TEST_F(EngineRoundTrip, SeekInTwoHandlesOfOneStream) {
    std::string data;
    for (int i = 0; i < 100000; ++i) data += static_cast<char>((i * 7) % 253);
    backup.add("main.data", data);
    std::string sequential;
    test_engine::on_restore = [&](hp::restore_source& source) {
        auto whole = source.open("main.data");
        auto ranged = source.open("main.data");
        EXPECT_TRUE(whole.can_seek());
        EXPECT_TRUE(ranged.can_seek());
        std::vector<std::byte> buffer(1000);
        for (std::uint64_t offset : {50000u, 0u, 99999u, 100000u, 1234u, 1234u}) {
            ranged.seek(offset);
            const std::size_t n = ranged.read(buffer);
            EXPECT_EQ(holdfast::testing::to_string(std::span(buffer).first(n)), data.substr(offset, 1000)) << offset;
            const std::size_t m = whole.read(std::span(buffer).first(777));
            sequential += holdfast::testing::to_string(std::span(buffer).first(m));
        }
        // Refused past the end, without moving: the next read goes on after 1234 + 1000.
        try {
            ranged.seek(100001);
            ADD_FAILURE() << "a seek past the end was accepted";
        } catch (const hp::error& e) {
            EXPECT_EQ(e.code(), HF_ERR_INVALID_ARGUMENT);
            EXPECT_EQ(std::string(e.what()), "seeking in a backup stream: offset 100001 is past the end of a "
                                             "100000-byte stream");
        }
        const std::size_t n = ranged.read(std::span(buffer).first(10));
        EXPECT_EQ(holdfast::testing::to_string(std::span(buffer).first(n)), data.substr(2234, 10));
        sequential += read_all(whole, 4096);
        return std::string("{}");
    };
    auto engine = open();
    engine.restore("{}", backup);
    EXPECT_EQ(sequential, data);
}

// An origin whose readers cannot seek hands the engine no seek: can_seek() is false and
// seek() fails with HF_ERR_UNSUPPORTED before reaching the host, while reads go on. A reader
// that does not implement seek under an origin that claims it fails the same way, in the host.
TEST_F(EngineRoundTrip, SeekWhereTheOriginHasNone) {
    backup.add("main.data", "twelve bytes");
    backup.seekable = false;
    test_engine::on_restore = [&](hp::restore_source& source) {
        auto in = source.open("main.data");
        expect_no_seek(in);
        return read_all(in, 5);
    };
    auto engine = open();
    EXPECT_EQ(engine.restore("{}", backup), "twelve bytes");

    struct claims_seek : hc::restore_origin {
        struct forward_only : hc::stream_reader {
            std::size_t read(std::span<std::byte>) override { return 0; }
        };
        const std::string& metadata_json() const override { return metadata; }
        std::vector<hc::stream_entry> streams() override { return {{"main.data", 0}}; }
        std::unique_ptr<hc::stream_reader> open(const std::string&) override {
            return std::make_unique<forward_only>();
        }
        bool can_seek() const override { return true; }
        std::string metadata = "{}";
    } claims;
    test_engine::on_restore = [](hp::restore_source& source) {
        auto in = source.open("main.data");
        EXPECT_TRUE(in.can_seek());
        in.seek(0);
        return std::string("{}");
    };
    EXPECT_EQ(expect_failure(HF_ERR_UNSUPPORTED, [&] { engine.restore("{}", claims); }),
              "restore failed: seeking in a backup stream: this stream cannot seek (to byte 0): read it from the "
              "start");
}

TEST_F(EngineRoundTrip, MissingStreamOnRestore) {
    test_engine::on_restore = [](hp::restore_source& source) {
        source.open("missing");
        return std::string("{}");
    };
    auto engine = open();
    EXPECT_EQ(expect_failure(HF_ERR_NOT_FOUND, [&] { engine.restore("{}", backup); }),
              "restore failed: opening backup stream 'missing': no stream 'missing' in this backup");
}

// An engine class without verify() leaves the table's entry NULL, so the host
// knows it cannot verify without calling it.
TEST_F(EngineRoundTrip, EngineWithoutVerifyLeavesTheSlotNull) {
    EXPECT_EQ(adapter::functions()->verify, nullptr);
    auto engine = open();
    EXPECT_FALSE(engine.can_verify());
    EXPECT_EQ(expect_failure(HF_ERR_UNSUPPORTED, [&] { (void)engine.verify("{}", backup); }),
              "this engine cannot verify a restore");
}

TEST_F(EngineRoundTrip, PassingVerifyDeliversItsReport) {
    backup.add("main.data", "twelve bytes");
    backup.set_metadata(R"({"bytes":12})");
    std::string seen_options;
    verifying_engine::on_verify = [&](std::string_view options, hp::restore_source& source) {
        seen_options = options;
        auto in = source.open("main.data");
        const std::string content = read_all(in, 5);
        return hp::verify_result{R"({"bytes":)" + std::to_string(content.size()) + "}", true, ""};
    };
    ASSERT_NE(verifying_adapter::functions()->verify, nullptr);
    hc::engine_instance engine(verifying_adapter::functions(), "{}", host.services());
    EXPECT_TRUE(engine.can_verify());
    const auto outcome = engine.verify(R"({"quick":true})", backup);
    EXPECT_TRUE(outcome.passed);
    EXPECT_EQ(outcome.report, R"({"bytes":12})");
    EXPECT_EQ(outcome.failure, "");
    EXPECT_EQ(seen_options, R"({"quick":true})");
}

// A mismatch is a result, not an error: the report arrives, then the call
// fails with HF_ERR_CORRUPT and the engine's summary.
TEST_F(EngineRoundTrip, FailingVerifyDeliversItsReportAndTheFailure) {
    verifying_engine::on_verify = [](std::string_view, hp::restore_source&) {
        return hp::verify_result{R"({"matches":false,"differences":["3 rows, 4 recorded"]})", false,
                                 "the restore differs: 3 rows, 4 recorded"};
    };
    hc::engine_instance engine(verifying_adapter::functions(), "{}", host.services());
    const auto outcome = engine.verify("{}", backup);
    EXPECT_FALSE(outcome.passed);
    EXPECT_EQ(outcome.report, R"({"matches":false,"differences":["3 rows, 4 recorded"]})");
    EXPECT_EQ(outcome.failure, "the restore differs: 3 rows, 4 recorded");

    // What crosses the C ABI: the report through the callback, then the status.
    hf_engine* handle = nullptr;
    hf_error err = hp::make_error();
    ASSERT_EQ(verifying_adapter::open("{}", host.services(), &handle, &err), HF_OK);
    const hf_stream_source source{sizeof(hf_stream_source), nullptr, "{}", nullptr, nullptr, nullptr, nullptr, nullptr};
    std::string report;
    EXPECT_EQ(verifying_adapter::functions()->verify(handle, "{}", &source, hc::append_string, &report, &err),
              HF_ERR_CORRUPT);
    EXPECT_EQ(report, R"({"matches":false,"differences":["3 rows, 4 recorded"]})");
    EXPECT_STREQ(err.message, "the restore differs: 3 rows, 4 recorded");
    verifying_adapter::close(handle);

    // A failed result that forgets its summary still fails, with a generic one.
    verifying_engine::on_verify = [](std::string_view, hp::restore_source&) { return hp::verify_result{}; };
    const auto unexplained = engine.verify("{}", backup);
    EXPECT_FALSE(unexplained.passed);
    EXPECT_EQ(unexplained.report, "{}");
    EXPECT_EQ(unexplained.failure, "the backup failed verification");
}

TEST_F(EngineRoundTrip, VerifyThatCannotRunThrows) {
    hc::engine_instance engine(verifying_adapter::functions(), "{}", host.services());
    verifying_engine::on_verify = [](std::string_view, hp::restore_source&) -> hp::verify_result {
        throw hp::error(HF_ERR_INVALID_ARGUMENT, "unknown verify option 'quick'");
    };
    EXPECT_EQ(expect_failure(HF_ERR_INVALID_ARGUMENT, [&] { (void)engine.verify(R"({"quick":true})", backup); }),
              "verify failed: unknown verify option 'quick'");

    // A stream the host reports as corrupt fails the check, before any report.
    struct damaged_origin : hc::restore_origin {
        struct damaged_reader : hc::stream_reader {
            std::size_t read(std::span<std::byte>) override {
                throw hc::plugin_error(HF_ERR_CORRUPT, "pack 7 fails its checksum");
            }
        };
        const std::string& metadata_json() const override { return metadata; }
        std::vector<hc::stream_entry> streams() override { return {{"main.data", 4}}; }
        std::unique_ptr<hc::stream_reader> open(const std::string&) override {
            return std::make_unique<damaged_reader>();
        }
        std::string metadata = "{}";
    } damaged;
    verifying_engine::on_verify = [](std::string_view, hp::restore_source& source) {
        auto in = source.open("main.data");
        read_all(in, 16);
        return hp::verify_result{"{}", true, ""};
    };
    const auto outcome = engine.verify("{}", damaged);
    EXPECT_FALSE(outcome.passed);
    EXPECT_EQ(outcome.report, "");
    EXPECT_EQ(outcome.failure, "reading a backup stream: pack 7 fails its checksum");
}

TEST_F(EngineRoundTrip, Detect) {
    const auto found = hc::engine_instance::detect(adapter::functions(), "/mnt/disk", host.services());
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0], R"({"path":"/mnt/disk/one","engine":"sdk-test"})");

    // A plugin without detect leaves the entry NULL.
    hf_engine_functions table = *adapter::functions();
    table.detect = nullptr;
    expect_failure(HF_ERR_UNSUPPORTED, [&] { hc::engine_instance::detect(&table, "/", host.services()); });
    // An older plugin whose table ends before detect cannot detect either.
    table = *adapter::functions();
    table.struct_size = offsetof(hf_engine_functions, detect);
    EXPECT_FALSE(hc::engine_instance::can_detect(&table));
}

// An engine class without clone() leaves the entry NULL; a 1.0 plugin's table ends before it.
TEST_F(EngineRoundTrip, EngineWithoutCloneCannotClone) {
    EXPECT_EQ(adapter::functions()->clone, nullptr);
    auto source = open();
    auto target = open();
    EXPECT_FALSE(source.can_clone());
    EXPECT_EQ(expect_failure(HF_ERR_UNSUPPORTED, [&] { (void)source.clone(target, "{}"); }),
              "this engine cannot clone");

    hf_engine_functions table = *cloning_adapter::functions();
    table.struct_size = offsetof(hf_engine_functions, clone);  // as a plugin built for ABI 1.0
    hc::engine_instance old(&table, "{}", host.services());
    EXPECT_FALSE(old.can_clone());
}

TEST_F(EngineRoundTrip, CloneReachesBothEnginesAndReports) {
    cloning_engine::on_clone = [](std::string_view options, cloning_engine& from, cloning_engine& to) {
        to.label = from.label;
        return R"({"options":)" + std::string(options) + R"(,"copied":)" + from.label + "}";
    };
    ASSERT_NE(cloning_adapter::functions()->clone, nullptr);
    hc::engine_instance source(cloning_adapter::functions(), R"({"name":"a"})", host.services());
    hc::engine_instance target(cloning_adapter::functions(), R"({"name":"b"})", host.services());
    EXPECT_TRUE(source.can_clone());
    EXPECT_EQ(source.clone(target, R"({"database":"app","target":"app_copy"})"),
              R"({"options":{"database":"app","target":"app_copy"},"copied":{"name":"a"}})");

    // A failure keeps its code and message.
    cloning_engine::on_clone = [](std::string_view, cloning_engine&, cloning_engine&) -> std::string {
        throw hp::error(HF_ERR_PRECONDITION, "database \"app_copy\" already exists");
    };
    EXPECT_EQ(expect_failure(HF_ERR_PRECONDITION, [&] { (void)source.clone(target, "{}"); }),
              "clone failed: database \"app_copy\" already exists");

    // Both handles must come from one plugin: the engine casts the target to its own class.
    auto other = open();
    EXPECT_EQ(expect_failure(HF_ERR_INVALID_ARGUMENT, [&] { (void)source.clone(other, "{}"); }),
              "clone needs two sources of the same engine plugin");
}

// A host whose list_streams hands a NULL name: the plugin's C callback must
// answer with a status, not let an exception escape into the host's C code.
TEST_F(EngineRoundTrip, PluginCallbacksDoNotThrowIntoTheHost) {
    test_engine::on_restore = [](hp::restore_source& source) {
        source.streams();
        return std::string("{}");
    };
    auto list_null = [](void*, hf_stream_info_callback callback, void* context, hf_error*) noexcept -> hf_status {
        return callback(context, nullptr, 0);
    };
    hf_stream_source source{sizeof(hf_stream_source), nullptr, "{}", list_null, nullptr, nullptr, nullptr, nullptr};
    hf_engine* handle = nullptr;
    hf_error err = hp::make_error();
    ASSERT_EQ(adapter::open("{}", host.services(), &handle, &err), HF_OK);
    EXPECT_EQ(adapter::restore(handle, "{}", &source, nullptr, nullptr, &err), HF_ERR_INVALID_ARGUMENT);
    EXPECT_STREQ(err.message, "listing backup streams");
    adapter::close(handle);
}

// input_stream against sources filled by hand: one from a host built before ABI 1.2 ends
// before seek (whatever lies past it), one has seek NULL, one has it and reports an error.
TEST(InputStream, CanSeekOnlyWhenTheSourceHasSeek) {
    static std::vector<std::uint64_t> offsets;
    offsets.clear();
    auto seek = [](hf_input_stream*, std::uint64_t offset, hf_error* err) noexcept -> hf_status {
        offsets.push_back(offset);
        return offset == 13 ? hf_error_set(err, HF_ERR_CORRUPT, "blob 13 is damaged") : HF_OK;
    };
    auto close = [](hf_input_stream*) noexcept {};
    hf_input_stream* handle = reinterpret_cast<hf_input_stream*>(&offsets);
    hf_stream_source source{sizeof(hf_stream_source), nullptr, "{}", nullptr, nullptr, nullptr, close, seek};

    source.struct_size = offsetof(hf_stream_source, seek);
    {
        hp::input_stream in(&source, handle);
        expect_no_seek(in);
    }
    source.struct_size = sizeof(hf_stream_source);
    source.seek = nullptr;
    EXPECT_FALSE(hp::input_stream(&source, handle).can_seek());
    EXPECT_TRUE(offsets.empty());

    source.seek = seek;
    hp::input_stream in(&source, handle);
    ASSERT_TRUE(in.can_seek());
    in.seek(42);
    try {
        in.seek(13);
        ADD_FAILURE() << "the host's error was lost";
    } catch (const hp::error& e) {
        EXPECT_EQ(e.code(), HF_ERR_CORRUPT);
        EXPECT_STREQ(e.what(), "seeking in a backup stream: blob 13 is damaged");
    }
    EXPECT_EQ(offsets, (std::vector<std::uint64_t>{42, 13}));
}

TEST(EngineDescriptor, MacroFillsTheDescriptor) {
    const hf_plugin_descriptor* d = hf_plugin_entry();
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d, hf_plugin_entry());  // static storage, stable
    EXPECT_EQ(d->struct_size, sizeof(hf_plugin_descriptor));
    EXPECT_EQ(d->magic, HF_PLUGIN_MAGIC);
    EXPECT_EQ(d->abi_major, HF_ABI_VERSION_MAJOR);
    EXPECT_EQ(d->abi_minor, HF_ABI_VERSION_MINOR);
    EXPECT_EQ(d->kind, static_cast<hf_plugin_kind>(HF_PLUGIN_KIND_ENGINE));
    EXPECT_STREQ(d->name, "sdk-test");
    EXPECT_STREQ(d->version, "0.0.1");
    EXPECT_EQ(d->functions, adapter::functions());
    EXPECT_EQ(static_cast<const hf_engine_functions*>(d->functions)->struct_size, sizeof(hf_engine_functions));

    recording_host host;
    hf_init_args args{sizeof(hf_init_args), HF_ABI_VERSION_MAJOR, HF_ABI_VERSION_MINOR, host.services()};
    hf_error err = hp::make_error();
    const int before = test_engine::initialized;
    ASSERT_NE(d->init, nullptr);
    EXPECT_EQ(d->init(&args, &err), HF_OK);
    EXPECT_EQ(test_engine::initialized, before + 1);
    EXPECT_TRUE(host.logged(HF_LOG_DEBUG, "initialized"));
}

// An engine written in plain C against the same headers, driven from C++: the
// sink and source the C++ client builds arrive with their full struct_size.
TEST(CEngine, RoundTripThroughTheCxxClient) {
    recording_host host;
    memory_backup backup;
    hc::engine_instance engine(abi_c_engine(), "{}", host.services());
    EXPECT_EQ(engine.probe(), R"({"reachable":true})");
    engine.backup("{}", backup);
    EXPECT_EQ(abi_c_last_sink_size(), sizeof(hf_stream_sink));
    EXPECT_EQ(backup.get("c.data").data, ABI_C_PAYLOAD);
    EXPECT_EQ(backup.metadata_json(), R"({"language":"C"})");
    const int seeks = abi_c_seeks();
    EXPECT_EQ(engine.restore("{}", backup), R"({"restored":"c.data"})");
    EXPECT_EQ(abi_c_last_source_size(), sizeof(hf_stream_source));
    EXPECT_FALSE(engine.can_verify());
    // ABI 1.2: the C engine found seek and its checks passed (else restore would have failed).
    EXPECT_EQ(abi_c_seeks(), seeks + 1);
    backup.seekable = false;
    EXPECT_EQ(engine.restore("{}", backup), R"({"restored":"c.data"})");
    EXPECT_EQ(abi_c_seeks(), seeks + 1);

    // ABI 1.1: the C engine's clone, through the same client.
    EXPECT_TRUE(engine.can_clone());
    hc::engine_instance target(abi_c_engine(), "{}", host.services());
    const int clones = abi_c_clones();
    EXPECT_EQ(engine.clone(target, R"({"database":"a"})"), R"({"cloned":{"database":"a"}})");
    EXPECT_EQ(abi_c_clones(), clones + 1);

    memory_backup corrupt;
    corrupt.add("c.data", "something else");
    try {
        engine.restore("{}", corrupt);
        FAIL() << "no exception";
    } catch (const hc::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_CORRUPT);
        EXPECT_STREQ(e.what(), "restore failed: c.data does not hold the payload");
    }
}

}  // namespace
