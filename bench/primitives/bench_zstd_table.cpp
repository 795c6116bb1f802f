// zstd level 1 with match tables of several sizes, on a file cut in chunk-sized blocks: the
// measurement behind compression.cpp's hashLog 12 (docs/benchmarks.md, "zstd match table").
// Usage: bench_zstd_table FILE [hashLog ...]   (default: 0 11 12 13 14; 0 is zstd's own choice)
// Reads the first 400 MB of FILE, compresses it in 256 KiB blocks, one frame each, and prints
// MB/s on one core (CPU time, best of 5 rounds, the settings taking turns) and the ratio.
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

namespace {

constexpr std::size_t max_input = 400'000'000;
constexpr std::size_t block = 256 * 1024;
constexpr int rounds = 5;

double thread_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_zstd_table FILE [hashLog ...]\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::vector<char> data(max_input);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    data.resize(static_cast<std::size_t>(in.gcount()));
    if (data.empty()) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    std::vector<int> hash_logs;
    for (int i = 2; i < argc; ++i) hash_logs.push_back(std::atoi(argv[i]));
    if (hash_logs.empty()) hash_logs = {0, 11, 12, 13, 14};

    std::vector<char> out(ZSTD_compressBound(block));
    std::vector<double> best(hash_logs.size(), 1e300);
    std::vector<std::size_t> compressed(hash_logs.size());
    for (int round = 0; round < rounds; ++round) {
        for (std::size_t k = 0; k < hash_logs.size(); ++k) {
            ZSTD_CCtx* ctx = ZSTD_createCCtx();
            ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, 1);
            ZSTD_CCtx_setParameter(ctx, ZSTD_c_hashLog, hash_logs[k]);
            std::size_t total = 0;
            const double start = thread_seconds();
            for (std::size_t at = 0; at < data.size(); at += block) {
                const std::size_t r = ZSTD_compress2(ctx, out.data(), out.size(), data.data() + at,
                                                     std::min(block, data.size() - at));
                if (ZSTD_isError(r)) {
                    std::fprintf(stderr, "zstd: %s\n", ZSTD_getErrorName(r));
                    return 1;
                }
                total += r;
            }
            best[k] = std::min(best[k], thread_seconds() - start);
            compressed[k] = total;
            ZSTD_freeCCtx(ctx);
        }
    }
    std::printf("%zu bytes in %zu KiB blocks, zstd level 1\n", data.size(), block / 1024);
    for (std::size_t k = 0; k < hash_logs.size(); ++k)
        std::printf("hashLog %-2s  %7.1f MB/s  ratio %.4f\n",
                    hash_logs[k] == 0 ? "-" : std::to_string(hash_logs[k]).c_str(),
                    static_cast<double>(data.size()) / best[k] / 1e6,
                    static_cast<double>(data.size()) / static_cast<double>(compressed[k]));
}
