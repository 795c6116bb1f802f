#include "pipeline/stream_check.hpp"

#include <holdfast/client/common.hpp>

#include <span>

namespace holdfast::pipeline {

namespace {

// Big enough that the reader's per-call work does not matter, small enough to stay in cache.
constexpr std::size_t buffer_size = 1024 * 1024;

}  // namespace

std::vector<stream_check> check_streams(snapshot_origin& origin) {
    std::vector<stream_check> results;
    std::vector<std::byte> buffer(buffer_size);
    for (const auto& stream : origin.snapshot().streams) {
        stream_check result{stream.name, stream.size, 0, std::nullopt};
        // A reader per stream: one that failed fails every later read, the next one does not.
        auto reader = origin.open_stream(stream.name);
        try {
            while (const std::size_t n = reader->read(buffer)) result.bytes_read += n;
        } catch (const client::plugin_error& e) {
            if (e.code() != HF_ERR_CORRUPT) throw;
            result.problem = e.what();
        }
        results.push_back(std::move(result));
    }
    return results;
}

}  // namespace holdfast::pipeline
