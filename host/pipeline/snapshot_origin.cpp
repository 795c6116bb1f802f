#include "pipeline/snapshot_origin.hpp"

#include <algorithm>
#include <thread>

namespace holdfast::pipeline {

namespace {

std::size_t read_threads(const read_options& options) {
    if (options.threads != 0) return options.threads;
    return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
}

}  // namespace

snapshot_origin::snapshot_origin(const repository::repo& repository, repository::snapshot snapshot,
                                 read_options options, progress::reporter* progress)
    : repo_(repository),
      snapshot_(std::move(snapshot)),
      metadata_json_(snapshot_.metadata.dump()),
      progress_(progress),
      window_(options.window != 0 ? options.window : 2 * read_threads(options)),
      pool_(read_threads(options)) {}

std::vector<client::stream_entry> snapshot_origin::streams() {
    std::vector<client::stream_entry> out;
    for (const auto& s : snapshot_.streams) out.push_back({s.name, s.size});
    return out;
}

std::unique_ptr<snapshot_stream_reader> snapshot_origin::open_stream(const std::string& name) {
    const auto it = std::find_if(snapshot_.streams.begin(), snapshot_.streams.end(),
                                 [&](const repository::stream_entry& s) { return s.name == name; });
    if (it == snapshot_.streams.end()) {
        std::string names;
        for (const auto& s : snapshot_.streams) names += (names.empty() ? "" : ", ") + s.name;
        throw client::plugin_error(HF_ERR_NOT_FOUND, "the snapshot has no stream '" + name + "' (it has: " +
                                                         (names.empty() ? "none" : names) + ")");
    }
    return std::make_unique<snapshot_stream_reader>(repo_, *it, pool_, window_, progress_,
                                                    [this](const std::string& message) {
                                                        std::lock_guard lock(mutex_);
                                                        if (!corruption_) corruption_ = message;
                                                    });
}

std::unique_ptr<client::stream_reader> snapshot_origin::open(const std::string& name) { return open_stream(name); }

std::uint64_t snapshot_origin::total_bytes() const noexcept {
    std::uint64_t total = 0;
    for (const auto& s : snapshot_.streams) total += s.size;
    return total;
}

std::optional<std::string> snapshot_origin::corruption() const {
    std::lock_guard lock(mutex_);
    return corruption_;
}

}  // namespace holdfast::pipeline
