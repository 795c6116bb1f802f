#include "pipeline_fixture.hpp"

#include <algorithm>
#include <fstream>

namespace holdfast::pipeline::testing {

repository::init_options tiny_chunks() {
    auto options = repository::testing::fast_options();
    options.parameters.chunk_min = 64;
    options.parameters.chunk_avg = 256;
    options.parameters.chunk_max = 1024;
    options.parameters.pack_size = 256 * 1024;
    return options;
}

void write_in_pieces(client::stream_writer& writer, std::span<const std::byte> data, std::uint64_t seed,
                     bool commit) {
    repository::test_data::prng rng(seed);
    while (!data.empty()) {
        // Mostly large writes (as engines do), some tiny ones.
        const std::size_t want = rng.below(4) == 0 ? 1 + rng.below(100) : 1 + rng.below(300 * 1024);
        const std::size_t n = std::min(want, data.size());
        writer.write(data.first(n));
        data = data.subspan(n);
    }
    writer.finish(commit);
}

partial_read read_until_error(client::stream_reader& reader, std::size_t piece) {
    partial_read out;
    bytes buffer(piece);
    try {
        while (const std::size_t n = reader.read(buffer))
            out.delivered.insert(out.delivered.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    } catch (const client::plugin_error& e) {
        out.error = e;
    }
    return out;
}

void flip_byte(const std::filesystem::path& file, std::uintmax_t offset) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x5a);
    f.seekp(static_cast<std::streamoff>(offset));
    f.write(&c, 1);
}

occupied_worker::occupied_worker(task_pool& pool)
    : held_(pool.submit([&started = started_, gate = gate_.get_future().share()] {
          started.set_value();
          gate.wait();
      })) {
    started_.get_future().wait();
}

void occupied_worker::release() {
    if (released_) return;
    released_ = true;
    gate_.set_value();
    held_.get();
}

backup_outcome pipeline_test::backup(repository::repo& repo, const std::vector<named_stream>& streams,
                                     backup_request request) {
    if (request.source.empty()) request.source = "test-source";
    if (request.engine.empty()) request.engine = "test-engine";
    if (request.engine_version.empty()) request.engine_version = "1.0.0";
    return run_backup(repo, request, [&](client::backup_target& target) {
        std::uint64_t seed = 1;
        for (const auto& [name, data] : streams) {
            auto writer = target.begin_stream(name);
            write_in_pieces(*writer, data, seed++);
        }
        target.set_metadata(R"({"streams":)" + std::to_string(streams.size()) + "}");
    });
}

bytes pipeline_test::read_back(const repository::repo& repo, const repository::snapshot& snap,
                               const std::string& name, std::size_t piece) {
    snapshot_origin origin(repo, snap);
    auto reader = origin.open(name);
    bytes out;
    bytes buffer(piece);
    while (const std::size_t n = reader->read(buffer)) out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    return out;
}

}  // namespace holdfast::pipeline::testing
