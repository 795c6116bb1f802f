// hello: an example holdfast engine plugin, small enough to read in five minutes.
//
// Its "database" is one key-value text file whose first line is the header
// "HELLO-KV 1". The engine
//   - probes the file: does it exist, how big is it, is it a hello-kv file;
//   - backs it up as one stream, "file.data", with metadata {"size": N};
//   - restores that stream atomically: into a temporary file beside the target,
//     flushed to disk, then renamed over it, so a failed restore leaves the old
//     file as it was;
//   - verifies a backup by reading it back (header and size);
//   - detects hello-kv files under a directory by their header.
//
// Settings, checked by the host against the manifest's schema before open:
//   {"path": "/var/lib/hello/data.kv", "fsync": true}
// Restore option: {"target": "/elsewhere.kv"} restores to another file.
//
// Everything holdfast-specific is in holdfast/plugin/engine.hpp: derive from
// holdfast::plugin::engine, add the optional members (verify, detect) the
// engine supports, throw holdfast::plugin::error to fail with a status code,
// and HOLDFAST_ENGINE_PLUGIN at the bottom exports the entry point.
#include <holdfast/plugin/engine.hpp>

// Settings arrive, and reports leave, as JSON text. We use nlohmann/json
// (header-only, packaged by every distribution) rather than a hand-written
// parser: this file is meant to be copied, and a home-made JSON parser is the
// part most likely to be copied wrong. It stays private to the plugin; only C
// strings cross the ABI.
#include <nlohmann/json.hpp>

#include <fcntl.h>  // ::open and ::fsync: the standard library cannot flush to disk
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>

namespace {

namespace fs = std::filesystem;
namespace hp = holdfast::plugin;
using json = nlohmann::json;

constexpr std::string_view header = "HELLO-KV 1\n";
constexpr const char* stream_name = "file.data";
constexpr std::size_t buffer_size = 64 * 1024;

// Parse a JSON object from the host. Unknown keys are an error (engine.h), so a
// typo in a config or an option is reported instead of silently ignored.
json parse_object(std::string_view text, std::initializer_list<std::string_view> known, const std::string& what) {
    json object = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object()) throw hp::error(HF_ERR_INVALID_ARGUMENT, what + " must be a JSON object");
    for (const auto& item : object.items())
        if (std::find(known.begin(), known.end(), item.key()) == known.end())
            throw hp::error(HF_ERR_INVALID_ARGUMENT, "unknown " + what + " '" + item.key() + "'");
    return object;
}

// File names need not be UTF-8, JSON must be: replace bad bytes, don't throw.
std::string to_json(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

bool has_header(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string head(header.size(), '\0');
    return in.read(head.data(), static_cast<std::streamsize>(head.size())) && head == header;
}

// Flush a file, or a directory's entries (after a rename), to disk.
void sync_to_disk(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const std::string reason = std::strerror(errno);
        if (fd >= 0) ::close(fd);
        throw hp::error(HF_ERR_IO, "cannot flush '" + path.string() + "' to disk: " + reason);
    }
    ::close(fd);
}

// Read the backup's one stream to the end, handing each piece to `consume`.
// Checks what the host recorded: the stream's size and the file header.
template <typename Consume>
std::uint64_t read_backup(hp::restore_source& source, hp::host_services host, Consume&& consume) {
    const auto streams = source.streams();
    const auto it = std::find_if(streams.begin(), streams.end(), [](const auto& s) { return s.name == stream_name; });
    if (it == streams.end()) throw hp::error(HF_ERR_NOT_FOUND, "the snapshot has no stream 'file.data'");

    auto in = source.open(stream_name);
    std::vector<std::byte> buffer(buffer_size);
    std::string head;  // the first bytes, to check the header
    std::uint64_t done = 0;
    while (const std::size_t n = in.read(buffer)) {
        const std::span<const std::byte> piece(buffer.data(), n);
        if (head.size() < header.size())
            head.append(reinterpret_cast<const char*>(piece.data()), std::min(n, header.size() - head.size()));
        consume(piece);
        done += n;
        host.progress("restore", done, it->size);
        host.throw_if_cancelled();
    }
    if (done != it->size)
        throw hp::error(HF_ERR_CORRUPT, "stream 'file.data' has " + std::to_string(done) + " bytes, the snapshot says " +
                                            std::to_string(it->size));
    if (head != header) throw hp::error(HF_ERR_CORRUPT, "the backed-up data is not a hello-kv file");
    return done;
}

class hello_engine final : public hp::engine {
public:
    hello_engine(std::string_view settings_json, hp::host_services host) : host_(host) {
        const json settings = parse_object(settings_json, {"path", "fsync"}, "setting");
        if (!settings.contains("path") || !settings["path"].is_string() || settings["path"].get<std::string>().empty())
            throw hp::error(HF_ERR_INVALID_ARGUMENT, "setting 'path' (the hello-kv file) is required");
        path_ = settings["path"].get<std::string>();
        if (settings.contains("fsync")) {
            if (!settings["fsync"].is_boolean())
                throw hp::error(HF_ERR_INVALID_ARGUMENT, "setting 'fsync' must be true or false");
            fsync_ = settings["fsync"].get<bool>();
        }
    }

    // Probing a missing file is not an error: it reports {"reachable": false}.
    std::string probe() override {
        std::error_code ec;
        const fs::file_status status = fs::status(path_, ec);
        json result = {{"reachable", fs::is_regular_file(status)}, {"path", path_.string()}};
        if (fs::is_regular_file(status)) {
            result["size"] = fs::file_size(path_, ec);
            result["hello_kv"] = has_header(path_);
        } else {
            result["reason"] = fs::exists(status) ? "not a regular file" : "no such file";
        }
        return to_json(result);
    }

    void backup(std::string_view options_json, hp::backup_sink& sink) override {
        parse_object(options_json, {}, "backup option");
        std::ifstream in(path_, std::ios::binary);
        if (!in) throw hp::error(HF_ERR_NOT_FOUND, "cannot open '" + path_.string() + "'");
        std::error_code ec;
        const std::uint64_t size = fs::file_size(path_, ec);
        const std::uint64_t total = ec ? 0 : size;  // for progress only; 0 means unknown

        // Check the header on the bytes we back up, not in a separate read.
        std::string chunk(buffer_size, '\0');
        in.read(chunk.data(), static_cast<std::streamsize>(header.size()));
        if (std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())) != header)
            throw hp::error(HF_ERR_PRECONDITION, "'" + path_.string() + "' is not a hello-kv file");

        auto out = sink.begin(stream_name);  // abandoned if we throw before finish()
        out.write(header);
        std::uint64_t done = header.size();
        while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
            const auto n = static_cast<std::size_t>(in.gcount());
            out.write(std::string_view(chunk.data(), n));
            done += n;
            host_.progress("backup", done, total);
            host_.throw_if_cancelled();
        }
        if (in.bad()) throw hp::error(HF_ERR_IO, "reading '" + path_.string() + "' failed");
        out.finish();
        sink.set_metadata(to_json({{"size", done}}));
    }

    std::string restore(std::string_view options_json, hp::restore_source& source) override {
        const json options = parse_object(options_json, {"target"}, "restore option");
        fs::path target = path_;
        if (options.contains("target")) {
            if (!options["target"].is_string())
                throw hp::error(HF_ERR_INVALID_ARGUMENT, "option 'target' must be a path");
            target = options["target"].get<std::string>();
        }
        // Beside the target, so the final rename stays on one file system and is atomic.
        fs::path temp = target;
        temp += ".hello-restore";
        struct remove_unless_kept {  // the old file is untouched until the rename
            const fs::path& path;
            bool keep = false;
            ~remove_unless_kept() {
                std::error_code ignored;
                if (!keep) fs::remove(path, ignored);
            }
        } cleanup{temp};

        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) throw hp::error(HF_ERR_IO, "cannot create '" + temp.string() + "'");
        const std::uint64_t bytes = read_backup(source, host_, [&](std::span<const std::byte> piece) {
            out.write(reinterpret_cast<const char*>(piece.data()), static_cast<std::streamsize>(piece.size()));
        });
        out.close();
        if (!out) throw hp::error(HF_ERR_IO, "writing '" + temp.string() + "' failed");

        std::error_code ec;
        if (const auto old = fs::status(target, ec); fs::exists(old)) fs::permissions(temp, old.permissions(), ec);
        if (fsync_) sync_to_disk(temp);
        fs::rename(temp, target, ec);
        if (ec) throw hp::error(HF_ERR_IO, "cannot replace '" + target.string() + "': " + ec.message());
        cleanup.keep = true;
        if (fsync_) sync_to_disk(target.has_parent_path() ? target.parent_path() : fs::path("."));
        return to_json({{"restored", target.string()}, {"bytes", bytes}});
    }

    // Optional: without this member the host sees an engine that cannot verify.
    // Reads the whole backup back. A stream that is not what the snapshot says
    // (read_backup throws HF_ERR_CORRUPT) or a size that differs from the
    // metadata fails the check; the report says what was found either way.
    hp::verify_result verify(std::string_view options_json, hp::restore_source& source) {
        parse_object(options_json, {}, "verify option");
        std::uint64_t bytes = 0;
        try {
            bytes = read_backup(source, host_, [](std::span<const std::byte>) {});
        } catch (const hp::error& e) {
            if (e.code() != HF_ERR_CORRUPT) throw;  // could not check: not a verdict
            return {to_json({{"ok", false}, {"problem", e.what()}}), false, e.what()};
        }
        const json metadata = json::parse(source.metadata_json(), nullptr, false);
        json report = {{"ok", true}, {"bytes", bytes}};
        if (metadata.is_object() && metadata.contains("size") && metadata["size"] != bytes) {
            const std::string failure = "the backup holds " + std::to_string(bytes) + " bytes, its metadata says " +
                                        to_json(metadata["size"]);
            report["ok"] = false;
            report["problem"] = failure;
            return {to_json(report), false, failure};
        }
        return {to_json(report), true, {}};
    }

    // Optional, static: needs no open source. Read-only; does not follow symlinks.
    static void detect(std::string_view path, hp::host_services host, const hp::detect_callback& found) {
        std::error_code ec;
        fs::recursive_directory_iterator it(fs::path(path), fs::directory_options::skip_permission_denied, ec);
        if (ec) throw hp::error(HF_ERR_NOT_FOUND, "cannot scan '" + std::string(path) + "': " + ec.message());
        for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
            if (ec) break;  // the last increment failed
            host.throw_if_cancelled();
            if (fs::is_regular_file(it->symlink_status(ec)) && has_header(it->path()))
                found(to_json({{"path", it->path().string()}, {"engine", "hello"}, {"size", it->file_size(ec)}}));
        }
        if (ec) host.warn("scan of '" + std::string(path) + "' stopped early: " + ec.message());
    }

private:
    hp::host_services host_;
    fs::path path_;
    bool fsync_ = true;
};

}  // namespace

// The name must equal the manifest's; the version comes from CMakeLists.txt.
HOLDFAST_ENGINE_PLUGIN(hello_engine, "hello", HELLO_VERSION)
