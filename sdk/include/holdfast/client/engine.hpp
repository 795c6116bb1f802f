// RAII handle over an engine plugin's function table, and the C++ interfaces
// the calling side implements to receive (backup) or provide (restore, verify)
// streams. See client/common.hpp.
#pragma once

#include <holdfast/client/common.hpp>
#include <holdfast/engine.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace holdfast::client {

// ---- what the caller implements --------------------------------------------

// One stream being written during a backup.
class stream_writer {
public:
    virtual ~stream_writer() = default;
    virtual void write(std::span<const std::byte> data) = 0;
    // Called exactly once; commit == false means the engine abandoned it.
    virtual void finish(bool commit) = 0;
};

// Receives a backup. Implementations must allow distinct streams to be written
// from different threads.
class backup_target {
public:
    virtual ~backup_target() = default;
    // `name` has already been checked with valid_stream_name().
    virtual std::unique_ptr<stream_writer> begin_stream(const std::string& name) = 0;
    virtual void set_metadata(const std::string& json) = 0;
};

// One stream being read during a restore.
class stream_reader {
public:
    virtual ~stream_reader() = default;
    // 0 at the end of the stream.
    virtual std::size_t read(std::span<std::byte> buffer) = 0;
    // Optional (ABI 1.2; implement it and say so with restore_origin::can_seek()): make the
    // next read return bytes from `offset`, counted from the start of the stream; `offset`
    // equal to the size is the end (the next read returns 0). Throw
    // plugin_error(HF_ERR_INVALID_ARGUMENT) for an offset past the end, leaving the position
    // unchanged. Reads after a seek must still refuse content that fails its integrity check
    // (HF_ERR_CORRUPT), but need not check the whole stream at its end (engine.h).
    virtual void seek(std::uint64_t offset) {
        throw plugin_error(HF_ERR_UNSUPPORTED,
                           "this stream cannot seek (to byte " + std::to_string(offset) + "): read it from the start");
    }
};

struct stream_entry {
    std::string name;
    std::uint64_t size = 0;
};

// Provides a backup's streams to a restore or verify.
class restore_origin {
public:
    virtual ~restore_origin() = default;
    virtual const std::string& metadata_json() const = 0;
    virtual std::vector<stream_entry> streams() = 0;
    // Throw plugin_error(HF_ERR_NOT_FOUND, ...) for an unknown stream. May be called again
    // for a stream that is already open: each call returns an independent reader.
    virtual std::unique_ptr<stream_reader> open(const std::string& name) = 0;
    // True when every reader open() returns implements stream_reader::seek. The engine sees
    // the source's seek function only then, so it is a property of the origin, not of one
    // stream: an engine learns it once, before it opens anything.
    virtual bool can_seek() const { return false; }
};

// The stream-name rule of engine.h: UTF-8, 1..255 bytes, segments separated by
// '.' (so no empty segment: no leading, trailing or doubled '.'), no '/', '\\'
// or NUL. Refusing "." and ".x" also keeps every name safe as a file name.
inline bool valid_stream_name(std::string_view name) {
    if (name.empty() || name.size() > 255) return false;
    if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos) return false;
    if (name.find_first_of(std::string_view("/\\\0", 3)) != std::string_view::npos) return false;
    return valid_utf8(name);
}

// What engine_instance::verify found.
struct verify_outcome {
    // The engine's JSON report, delivered whether or not the check passed.
    // Empty when the engine failed before writing one (a stream that did not
    // pass the host's own integrity check, say).
    std::string report;
    // false: the engine answered HF_ERR_CORRUPT: the backup does not restore
    // as recorded.
    bool passed = false;
    // When !passed: the engine's one-line summary of what differs.
    std::string failure;
};

// ---- the handle --------------------------------------------------------------

// One open source. Move-only; closes the plugin handle on destruction.
class engine_instance {
public:
    // Open through `functions` (which must outlive this object, as must `host`).
    engine_instance(const hf_engine_functions* functions, const std::string& settings_json,
                    const hf_host_services* host)
        : functions_(functions) {
        hf_error err = make_error();
        check(functions_->open(settings_json.c_str(), host, &handle_, &err), err, "opening source");
    }
    engine_instance(engine_instance&& other) noexcept
        : functions_(other.functions_), handle_(std::exchange(other.handle_, nullptr)) {}
    engine_instance& operator=(engine_instance&&) = delete;
    engine_instance(const engine_instance&) = delete;
    engine_instance& operator=(const engine_instance&) = delete;
    ~engine_instance() {
        if (handle_ != nullptr) functions_->close(handle_);
    }

    // The probe's JSON object.
    std::string probe() {
        std::string out;
        hf_error err = make_error();
        check(functions_->probe(handle_, append_string, &out, &err), err, "probing source");
        return out;
    }

    void backup(const std::string& options_json, backup_target& target) {
        hf_stream_sink sink{sizeof(hf_stream_sink), &target, &begin_stream, &write, &end_stream, &set_metadata};
        hf_error err = make_error();
        check(functions_->backup(handle_, options_json.c_str(), &sink, &err), err, "backup failed");
    }

    // Returns the engine's JSON report.
    std::string restore(const std::string& options_json, restore_origin& origin) {
        return with_source(origin, [&](const hf_stream_source& source, std::string& report, hf_error& err) {
            return functions_->restore(handle_, options_json.c_str(), &source, append_string, &report, &err);
        }, "restore failed");
    }

    // verify and detect are optional: absent when NULL or past the table's struct_size.
    bool can_verify() const {
        return HF_HAS_FIELD(functions_, hf_engine_functions, verify) && functions_->verify != nullptr;
    }
    static bool can_detect(const hf_engine_functions* functions) {
        return HF_HAS_FIELD(functions, hf_engine_functions, detect) && functions->detect != nullptr;
    }
    // Prove that the backup in `origin` restores. A check that ran gives its
    // outcome, passed or not: HF_ERR_CORRUPT from the engine is a failed check,
    // not an exception. Throws plugin_error for every other failure (the check
    // could not run), and HF_ERR_UNSUPPORTED when !can_verify().
    [[nodiscard]] verify_outcome verify(const std::string& options_json, restore_origin& origin) {
        if (!can_verify()) throw plugin_error(HF_ERR_UNSUPPORTED, "this engine cannot verify a restore");
        const hf_stream_source source = make_source(origin);
        verify_outcome outcome;
        hf_error err = make_error();
        const hf_status status =
            functions_->verify(handle_, options_json.c_str(), &source, append_string, &outcome.report, &err);
        if (status == HF_ERR_CORRUPT) {
            outcome.failure = err.message[0] != '\0' ? std::string(err.message) : "the backup failed verification";
            return outcome;
        }
        check(status, err, "verify failed");
        outcome.passed = true;
        return outcome;
    }

    // clone is optional (ABI 1.1): absent when NULL or past the table's struct_size, as in
    // every plugin built for ABI 1.0.
    bool can_clone() const {
        return HF_HAS_FIELD(functions_, hf_engine_functions, clone) && functions_->clone != nullptr;
    }
    // Copy what `options_json` names ({"database": ..., "target": ...}) from this source
    // into `target`, which must have been opened through the same function table (the
    // same plugin: the engine casts both handles to its own type). Returns the engine's
    // JSON report. Throws plugin_error: HF_ERR_UNSUPPORTED when !can_clone(),
    // HF_ERR_INVALID_ARGUMENT for a target of another plugin, else the engine's failure.
    std::string clone(engine_instance& target, const std::string& options_json) {
        if (!can_clone()) throw plugin_error(HF_ERR_UNSUPPORTED, "this engine cannot clone");
        if (target.functions_ != functions_)
            throw plugin_error(HF_ERR_INVALID_ARGUMENT, "clone needs two sources of the same engine plugin");
        std::string report;
        hf_error err = make_error();
        check(functions_->clone(handle_, target.handle_, options_json.c_str(), append_string, &report, &err), err,
              "clone failed");
        return report;
    }

    // Scan `path` for the engine's data; one JSON object per find. Needs no open source.
    static std::vector<std::string> detect(const hf_engine_functions* functions, const std::string& path,
                                           const hf_host_services* host) {
        if (!can_detect(functions)) throw plugin_error(HF_ERR_UNSUPPORTED, "this engine cannot detect");
        std::vector<std::string> found;
        auto callback = [](void* context, const char* data, std::size_t length) noexcept -> hf_status {
            try {  // called through the C ABI: nothing may propagate
                static_cast<std::vector<std::string>*>(context)->emplace_back(data, length);
                return HF_OK;
            } catch (...) {
                return HF_ERR_INTERNAL;
            }
        };
        hf_error err = make_error();
        check(functions->detect(path.c_str(), host, callback, &found, &err), err, "detect failed");
        return found;
    }

private:
    // ---- the sink trampolines: plugin -> backup_target ----
    struct writer_box {
        std::unique_ptr<stream_writer> writer;
    };
    static hf_status begin_stream(void* context, const char* name, hf_output_stream** stream, hf_error* err) {
        return guarded(err, [&] {
            std::string n = name != nullptr ? name : "";
            if (!valid_stream_name(n))
                throw plugin_error(HF_ERR_INVALID_ARGUMENT,
                                   "invalid stream name '" + n +
                                       "': 1..255 bytes of UTF-8, '.'-separated non-empty segments, no '/' or '\\'");
            auto box = std::make_unique<writer_box>();
            box->writer = static_cast<backup_target*>(context)->begin_stream(n);
            *stream = reinterpret_cast<hf_output_stream*>(box.release());
        });
    }
    // A NULL handle (a plugin bug) is refused rather than dereferenced.
    static hf_status write(hf_output_stream* stream, const void* data, std::size_t length, hf_error* err) {
        if (stream == nullptr) return hf_error_set(err, HF_ERR_INVALID_ARGUMENT, "write to a NULL stream handle");
        return guarded(err, [&] {
            reinterpret_cast<writer_box*>(stream)->writer->write(
                std::span(static_cast<const std::byte*>(data), length));
        });
    }
    static hf_status end_stream(hf_output_stream* stream, std::int32_t commit, hf_error* err) {
        if (stream == nullptr) return hf_error_set(err, HF_ERR_INVALID_ARGUMENT, "end_stream on a NULL stream handle");
        std::unique_ptr<writer_box> box(reinterpret_cast<writer_box*>(stream));
        return guarded(err, [&] { box->writer->finish(commit != 0); });
    }
    static hf_status set_metadata(void* context, const char* json, hf_error* err) {
        return guarded(err, [&] { static_cast<backup_target*>(context)->set_metadata(json != nullptr ? json : "{}"); });
    }

    // ---- the source trampolines: plugin -> restore_origin ----
    struct reader_box {
        std::unique_ptr<stream_reader> reader;
    };
    static hf_status list_streams(void* context, hf_stream_info_callback callback, void* callback_context,
                                  hf_error* err) {
        return guarded(err, [&] {
            for (const auto& s : static_cast<restore_origin*>(context)->streams()) {
                hf_status status = callback(callback_context, s.name.c_str(), s.size);
                if (status != HF_OK) throw plugin_error(status, "stream listing stopped by the engine");
            }
        });
    }
    static hf_status open_stream(void* context, const char* name, hf_input_stream** stream, hf_error* err) {
        return guarded(err, [&] {
            auto box = std::make_unique<reader_box>();
            box->reader = static_cast<restore_origin*>(context)->open(name != nullptr ? name : "");
            *stream = reinterpret_cast<hf_input_stream*>(box.release());
        });
    }
    static hf_status read(hf_input_stream* stream, void* buffer, std::size_t capacity, std::size_t* length,
                          hf_error* err) {
        if (stream == nullptr || length == nullptr)
            return hf_error_set(err, HF_ERR_INVALID_ARGUMENT, "read from a NULL stream handle");
        return guarded(err, [&] {
            *length = reinterpret_cast<reader_box*>(stream)->reader->read(
                std::span(static_cast<std::byte*>(buffer), capacity));
        });
    }
    static void close_stream(hf_input_stream* stream) { delete reinterpret_cast<reader_box*>(stream); }
    static hf_status seek(hf_input_stream* stream, std::uint64_t offset, hf_error* err) {
        if (stream == nullptr) return hf_error_set(err, HF_ERR_INVALID_ARGUMENT, "seek in a NULL stream handle");
        return guarded(err, [&] { reinterpret_cast<reader_box*>(stream)->reader->seek(offset); });
    }

    // What restore and verify hand to the engine; it borrows `origin` and its metadata.
    static hf_stream_source make_source(restore_origin& origin) {
        return {sizeof(hf_stream_source), &origin, origin.metadata_json().c_str(), &list_streams, &open_stream,
                &read, &close_stream, origin.can_seek() ? &seek : nullptr};
    }

    template <typename Call>
    std::string with_source(restore_origin& origin, Call&& call, const char* what) {
        const hf_stream_source source = make_source(origin);
        std::string report;
        hf_error err = make_error();
        check(call(source, report, err), err, what);
        return report;
    }

    const hf_engine_functions* functions_;
    hf_engine* handle_ = nullptr;
};

}  // namespace holdfast::client
