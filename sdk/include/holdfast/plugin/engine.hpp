// Header-only C++ helpers for writing an engine plugin.
//
//   class my_engine : public holdfast::plugin::engine {
//   public:
//       my_engine(std::string_view settings_json, holdfast::plugin::host_services host);
//       std::string probe() override;
//       void backup(std::string_view options_json, holdfast::plugin::backup_sink& sink) override;
//       std::string restore(std::string_view options_json, holdfast::plugin::restore_source& src) override;
//       // optional (found at compile time; leave out what the engine cannot do):
//       holdfast::plugin::verify_result verify(std::string_view options_json,
//                                              holdfast::plugin::restore_source& src);
//       static void detect(std::string_view path, holdfast::plugin::host_services host,
//                          const holdfast::plugin::detect_callback& found);
//       std::string clone(std::string_view options_json, my_engine& target);  // ABI 1.1
//       static void initialize(holdfast::plugin::host_services host);   // plugin-wide init
//   };
//   HOLDFAST_ENGINE_PLUGIN(my_engine, "my-engine", "1.0.0")
//
// The macro defines hf_plugin_entry and a function table whose every entry
// catches exceptions (see guarded()). Throw holdfast::plugin::error to choose
// the status code. The table's optional entries (verify, detect, clone) are NULL when
// the class lacks the member, which is how the host learns the engine cannot
// do it (engine.h).
#pragma once

#include <holdfast/engine.h>
#include <holdfast/plugin/common.hpp>

#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::plugin {

// One stream being written. Movable, not copyable. If it is destroyed without
// finish(), the stream is abandoned (end_stream with commit = 0).
class output_stream {
public:
    output_stream(const hf_stream_sink* sink, hf_output_stream* handle) : sink_(sink), handle_(handle) {}
    output_stream(output_stream&& other) noexcept
        : sink_(other.sink_), handle_(std::exchange(other.handle_, nullptr)) {}
    output_stream& operator=(output_stream&&) = delete;
    output_stream(const output_stream&) = delete;
    ~output_stream() {
        if (handle_ != nullptr) {
            hf_error err = make_error();
            sink_->end_stream(handle_, 0, &err);
        }
    }

    void write(std::span<const std::byte> data) {
        if (data.empty()) return;
        require_open();
        hf_error err = make_error();
        check(sink_->write(handle_, data.data(), data.size(), &err), err, "writing a backup stream");
    }
    void write(std::string_view text) { write(std::as_bytes(std::span(text.data(), text.size()))); }

    // Commit the stream. After this the object is empty.
    void finish() {
        require_open();
        hf_error err = make_error();
        hf_status status = sink_->end_stream(std::exchange(handle_, nullptr), 1, &err);
        check(status, err, "finishing a backup stream");
    }

private:
    // A finished or moved-from stream has no handle; passing NULL to the host
    // would crash it, so misuse becomes an ordinary plugin error.
    void require_open() const {
        if (handle_ == nullptr) throw error(HF_ERR_INTERNAL, "backup stream used after finish() or move");
    }

    const hf_stream_sink* sink_;
    hf_output_stream* handle_;
};

// Where a backup goes: named streams plus the snapshot's engine metadata.
class backup_sink {
public:
    explicit backup_sink(const hf_stream_sink* sink) : sink_(sink) {}

    output_stream begin(const std::string& name) {
        hf_error err = make_error();
        hf_output_stream* handle = nullptr;
        check(sink_->begin_stream(sink_->context, name.c_str(), &handle, &err), err,
              "starting backup stream '" + name + "'");
        return output_stream(sink_, handle);
    }
    // `json` must be a JSON object.
    void set_metadata(const std::string& json) {
        hf_error err = make_error();
        check(sink_->set_metadata(sink_->context, json.c_str(), &err), err, "recording snapshot metadata");
    }

private:
    const hf_stream_sink* sink_;
};

// One stream being read, from its first byte unless you seek. Closed on destruction.
class input_stream {
public:
    input_stream(const hf_stream_source* source, hf_input_stream* handle) : source_(source), handle_(handle) {}
    input_stream(input_stream&& other) noexcept
        : source_(other.source_), handle_(std::exchange(other.handle_, nullptr)) {}
    input_stream& operator=(input_stream&&) = delete;
    input_stream(const input_stream&) = delete;
    ~input_stream() {
        if (handle_ != nullptr) source_->close_stream(handle_);
    }

    // Returns the number of bytes read; 0 at the end of the stream.
    std::size_t read(std::span<std::byte> buffer) {
        hf_error err = make_error();
        std::size_t length = 0;
        check(source_->read(handle_, buffer.data(), buffer.size(), &length, &err), err,
              "reading a backup stream");
        return length;
    }

    // Whether seek() works: the host provides it (ABI 1.2, and an origin that can). The same
    // for every stream of one restore or verify. When false, read each stream from start to end.
    bool can_seek() const {
        return HF_HAS_FIELD(source_, hf_stream_source, seek) && source_->seek != nullptr;
    }
    // Make the next read return bytes from `offset`, counted from the start of the stream
    // (`offset` == size: the next read returns 0). Any number of times, either direction.
    // Throws holdfast::plugin::error: HF_ERR_UNSUPPORTED when !can_seek(),
    // HF_ERR_INVALID_ARGUMENT for an offset past the end (the position is unchanged), else
    // what the host says (HF_ERR_CORRUPT, HF_ERR_CANCELLED, ...). After a seek every read is
    // still checked piece by piece, but this handle's end no longer proves the whole stream's
    // checksum: read the stream from start to end on a handle that never seeks for that.
    void seek(std::uint64_t offset) {
        if (!can_seek())
            throw error(HF_ERR_UNSUPPORTED, "the host cannot seek in backup streams (it predates ABI 1.2, or this "
                                            "source has no seek): read them from the start");
        hf_error err = make_error();
        check(source_->seek(handle_, offset, &err), err, "seeking in a backup stream");
    }

private:
    const hf_stream_source* source_;
    hf_input_stream* handle_;
};

struct stream_info {
    std::string name;
    std::uint64_t size = 0;
};

// What a restore or verify reads from: the snapshot's streams and metadata.
class restore_source {
public:
    explicit restore_source(const hf_stream_source* source) : source_(source) {}

    std::string_view metadata_json() const {
        return source_->metadata_json != nullptr ? source_->metadata_json : "{}";
    }
    std::vector<stream_info> streams() const {
        std::vector<stream_info> out;
        hf_error err = make_error();
        // A C callback: nothing may propagate out of it (bad_alloc included).
        auto callback = [](void* context, const char* name, std::uint64_t size) noexcept -> hf_status {
            if (name == nullptr) return HF_ERR_INVALID_ARGUMENT;
            try {
                static_cast<std::vector<stream_info>*>(context)->push_back({name, size});
                return HF_OK;
            } catch (...) {
                return HF_ERR_INTERNAL;
            }
        };
        check(source_->list_streams(source_->context, callback, &out, &err), err, "listing backup streams");
        return out;
    }
    // Each call opens an independent handle, also for a stream that is already open.
    input_stream open(const std::string& name) const {
        hf_error err = make_error();
        hf_input_stream* handle = nullptr;
        check(source_->open_stream(source_->context, name.c_str(), &handle, &err), err,
              "opening backup stream '" + name + "'");
        return input_stream(source_, handle);
    }

private:
    const hf_stream_source* source_;
};

// Called once per find by detect(); the argument is a JSON object.
using detect_callback = std::function<void(std::string_view json)>;

// What an engine's optional verify() returns. The adapter delivers
// `report_json` to the host in every case, then fails the call with
// HF_ERR_CORRUPT and `failure` as its message when `passed` is false. Failures
// of the check itself (a stream that cannot be read, bad options, cancellation)
// are thrown as holdfast::plugin::error instead, and deliver no report.
struct verify_result {
    // One JSON object saying what was checked and what was found, also (above
    // all) when the check failed.
    std::string report_json = "{}";
    // true only when the backup restores and matches what it recorded. false
    // unless set, so a verify that forgets to say never passes.
    bool passed = false;
    // When !passed: a one-line summary of what differs, the error message the
    // user sees. Ignored when passed.
    std::string failure;
};

// Base class of an engine: one open source. verify and clone are optional and
// not part of the base class: give the engine a member
//   verify_result verify(std::string_view options_json, restore_source& source);
//   std::string clone(std::string_view options_json, MyEngine& target);
// to fill the table's verify or clone entry (see engine_adapter). clone's
// target is another source opened by the same plugin, so it is the same class.
class engine {
public:
    virtual ~engine() = default;
    // One JSON object, at least {"reachable": bool}.
    virtual std::string probe() = 0;
    virtual void backup(std::string_view options_json, backup_sink& sink) = 0;
    // Returns a JSON object describing what was done.
    virtual std::string restore(std::string_view options_json, restore_source& source) = 0;
};

namespace detail {

template <typename Engine>
struct engine_adapter {
    // hf_engine is an opaque tag type; the handle really points at this box.
    struct box {
        std::unique_ptr<Engine> engine;
    };
    static Engine& get(hf_engine* handle) { return *reinterpret_cast<box*>(handle)->engine; }

    static hf_status open(const char* settings, const hf_host_services* host, hf_engine** out, hf_error* err) {
        return guarded(err, [&] {
            auto b = std::make_unique<box>();
            b->engine = std::make_unique<Engine>(std::string_view(settings != nullptr ? settings : "{}"),
                                                 host_services(host));
            *out = reinterpret_cast<hf_engine*>(b.release());
        });
    }
    static void close(hf_engine* handle) { delete reinterpret_cast<box*>(handle); }
    static hf_status probe(hf_engine* handle, hf_string_callback result, void* context, hf_error* err) {
        return guarded(err, [&] { deliver(result, context, get(handle).probe()); });
    }
    static hf_status backup(hf_engine* handle, const char* options, const hf_stream_sink* sink, hf_error* err) {
        return guarded(err, [&] {
            backup_sink s(sink);
            get(handle).backup(options != nullptr ? options : "{}", s);
        });
    }
    static hf_status restore(hf_engine* handle, const char* options, const hf_stream_source* source,
                             hf_string_callback report, void* context, hf_error* err) {
        return guarded(err, [&] {
            restore_source s(source);
            deliver(report, context, get(handle).restore(options != nullptr ? options : "{}", s));
        });
    }
    // Only instantiated when Engine::verify exists (see verify_entry).
    static hf_status verify(hf_engine* handle, const char* options, const hf_stream_source* source,
                            hf_string_callback report, void* context, hf_error* err) {
        return guarded(err, [&] {
            restore_source s(source);
            verify_result result = get(handle).verify(std::string_view(options != nullptr ? options : "{}"), s);
            deliver(report, context, result.report_json);
            if (!result.passed)
                throw error(HF_ERR_CORRUPT, result.failure.empty() ? "the backup failed verification" : result.failure);
        });
    }
    // Only instantiated when Engine::clone exists (see clone_entry). Both handles come
    // from this plugin's open (the host opens both through the same table), so the
    // target is an Engine too.
    static hf_status clone(hf_engine* source, hf_engine* target, const char* options, hf_string_callback report,
                           void* context, hf_error* err) {
        return guarded(err, [&] {
            if (source == nullptr || target == nullptr) throw error(HF_ERR_INVALID_ARGUMENT, "clone of a NULL engine");
            deliver(report, context,
                    get(source).clone(std::string_view(options != nullptr ? options : "{}"), get(target)));
        });
    }
    static hf_status detect(const char* path, const hf_host_services* host, hf_string_callback found,
                            void* context, hf_error* err) {
        return guarded(err, [&] {
            Engine::detect(std::string_view(path != nullptr ? path : ""), host_services(host),
                           [&](std::string_view json) { deliver(found, context, json); });
        });
    }
    static hf_status init(const hf_init_args* args, hf_error* err) {
        return guarded(err, [&] { Engine::initialize(host_services(init_host(args))); });
    }

    static constexpr bool has_detect = requires(std::string_view p, host_services h, const detect_callback& f) {
        Engine::detect(p, h, f);
    };
    static constexpr bool has_initialize = requires(host_services h) { Engine::initialize(h); };
    static constexpr bool has_verify = requires(Engine& e, std::string_view o, restore_source& s) {
        { e.verify(o, s) } -> std::same_as<verify_result>;
    };
    // A verify of another shape (returning std::string, as this header once
    // had it) would otherwise leave the entry NULL without a word.
    static_assert(has_verify || !requires(Engine& e, std::string_view o, restore_source& s) { e.verify(o, s); },
                  "Engine::verify must return holdfast::plugin::verify_result");
    static constexpr bool has_clone = requires(Engine& e, std::string_view o, Engine& t) {
        { e.clone(o, t) } -> std::convertible_to<std::string>;
    };

    static const hf_engine_functions* functions() {
        static const hf_engine_functions table = {
            sizeof(hf_engine_functions), &open, &close, &probe, &backup, &restore,
            has_verify ? &verify_entry : nullptr, has_detect ? &detect_entry : nullptr,
            has_clone ? &clone_entry : nullptr,
        };
        return &table;
    }
    // In the table only when Engine::verify / Engine::detect / Engine::clone exists.
    static hf_status verify_entry(hf_engine* handle, const char* options, const hf_stream_source* source,
                                  hf_string_callback report, void* context, hf_error* err) {
        if constexpr (has_verify) return verify(handle, options, source, report, context, err);
        else return hf_error_set(err, HF_ERR_UNSUPPORTED, "this engine cannot verify a restore");
    }
    static hf_status detect_entry(const char* path, const hf_host_services* host, hf_string_callback found,
                                  void* context, hf_error* err) {
        if constexpr (has_detect) return detect(path, host, found, context, err);
        else return hf_error_set(err, HF_ERR_UNSUPPORTED, "this engine cannot detect");
    }
    static hf_status clone_entry(hf_engine* source, hf_engine* target, const char* options,
                                 hf_string_callback report, void* context, hf_error* err) {
        if constexpr (has_clone) return clone(source, target, options, report, context, err);
        else return hf_error_set(err, HF_ERR_UNSUPPORTED, "this engine cannot clone");
    }
    static hf_status init_entry(const hf_init_args* args, hf_error* err) {
        if constexpr (has_initialize) return init(args, err);
        else return HF_OK;
    }
};

}  // namespace detail
}  // namespace holdfast::plugin

// Define the plugin's exported entry point for engine class `EngineClass`.
// `NAME` and `VERSION` are string literals; NAME must equal the manifest's name.
#define HOLDFAST_ENGINE_PLUGIN(EngineClass, NAME, VERSION)                                          \
    extern "C" HF_EXPORT const hf_plugin_descriptor* hf_plugin_entry(void) {                        \
        using adapter = ::holdfast::plugin::detail::engine_adapter<EngineClass>;                    \
        static const hf_plugin_descriptor descriptor = {                                            \
            sizeof(hf_plugin_descriptor), HF_PLUGIN_MAGIC, HF_ABI_VERSION_MAJOR, HF_ABI_VERSION_MINOR, \
            HF_PLUGIN_KIND_ENGINE, NAME, VERSION, &adapter::init_entry, adapter::functions()};       \
        return &descriptor;                                                                         \
    }
