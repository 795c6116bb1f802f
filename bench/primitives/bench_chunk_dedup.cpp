// What chunk sizes do for deduplication: backs up OLD, then NEW, into an imaginary repository
// and reports, per chunker setting, how much the second backup adds. For choosing the
// default chunk sizes on real database dumps (e.g. two days of shared/bench/realistic-*.sql).
// Usage: bench_chunk_dedup [--level=N] OLD NEW [avg_KiB ...]   (default 64 128 256 512 1024 2048)
// Each avg is tried with min = avg/4 and min = avg/2, max = 8 * avg; blobs are compressed
// with zstd at level N (default 3) and the storage rule of encode_blob.
#include "repository/chunker.hpp"
#include "repository/compression.hpp"
#include "repository/crypto.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>

namespace {

using namespace holdfast::repository;

std::vector<std::byte> read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    std::vector<std::byte> data(error ? 0 : size);
    if (!in || error ||
        !in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size()))) {
        std::fprintf(stderr, "cannot read %s\n", path);
        std::exit(2);
    }
    return data;
}

struct backup_result {
    std::size_t chunks = 0;
    std::size_t new_chunks = 0;
    std::size_t new_bytes = 0;
    std::size_t stored_bytes = 0;  // compressed, what would be uploaded
};

// Adds `data` to `repository` (the set of blob ids) and reports what was new.
backup_result backup(const chunker_params& params, std::span<const std::byte> data,
                     std::set<digest256>& repository, hmac_sha256& id, zstd_compressor& compressor,
                     std::vector<std::byte>& scratch) {
    backup_result r;
    chunk_stream stream(params, [&](std::span<const std::byte> chunk, const chunk_sketch&) {
        ++r.chunks;
        if (!repository.insert(id.mac(chunk)).second) return;
        ++r.new_chunks;
        r.new_bytes += chunk.size();
        r.stored_bytes += encode_blob(compressor, chunk, scratch).bytes.size();
    });
    stream.write(data);
    stream.finish();
    return r;
}

double mb(std::size_t bytes) { return static_cast<double>(bytes) / 1e6; }

}  // namespace

int main(int argc, char** argv) {
    int level = 3;
    if (argc > 1 && std::string_view(argv[1]).starts_with("--level=")) {
        level = std::atoi(argv[1] + 8);
        --argc;
        ++argv;
    }
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_chunk_dedup [--level=N] OLD NEW [avg_KiB ...]\n");
        return 2;
    }
    const auto old_data = read_file(argv[1]);
    const auto new_data = read_file(argv[2]);
    std::vector<std::size_t> averages;
    for (int i = 3; i < argc; ++i) averages.push_back(std::strtoull(argv[i], nullptr, 10) * 1024);
    if (averages.empty())
        for (std::size_t kib : {64, 128, 256, 512, 1024, 2048}) averages.push_back(kib * 1024);

    std::printf("OLD %.1f MB, NEW %.1f MB, zstd -%d\n", mb(old_data.size()), mb(new_data.size()),
                level);
    std::printf("%9s %9s | %8s %10s %11s | %8s %10s %10s %11s\n", "avg KiB", "min KiB", "chunks",
                "mean KiB", "stored MB", "chunks", "new chunks", "new MB", "stored MB");
    std::printf("%20s | %-31s | %s\n", "", "first backup (OLD)", "second backup (NEW)");

    hmac_sha256 id(key256::random().bytes());
    zstd_compressor compressor(level);
    std::vector<std::byte> scratch;
    for (const std::size_t avg : averages) {
        for (const std::size_t divisor : {4u, 2u}) {
            const chunker_params params{
                .min_size = avg / divisor, .avg_size = avg, .max_size = 8 * avg};
            std::set<digest256> repository;
            const auto first = backup(params, old_data, repository, id, compressor, scratch);
            const auto second = backup(params, new_data, repository, id, compressor, scratch);
            std::printf(
                "%9zu %9zu | %8zu %10.0f %11.1f | %8zu %10zu %10.1f %11.1f\n", avg / 1024,
                params.min_size / 1024, first.chunks,
                static_cast<double>(old_data.size()) / static_cast<double>(first.chunks) / 1024,
                mb(first.stored_bytes), second.chunks, second.new_chunks, mb(second.new_bytes),
                mb(second.stored_bytes));
        }
    }
}
