// Single-core throughput of the repository primitives on dump-like data.
// Usage: bench_primitives [MiB=256] [rounds=3]
// Each figure is the best of the rounds, in MB/s of plaintext (10^6 bytes per second) per
// second of this thread's CPU time: the machines are shared, and wall time would measure the
// neighbours as much as the code.
#include "dump_like_data.hpp"
#include "repository/chunker.hpp"
#include "repository/compression.hpp"
#include "repository/crypto.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>

namespace {

using namespace holdfast::repository;

// Keeps results alive so the optimizer cannot drop the work.
std::uint64_t sink = 0;
void consume(std::span<const std::byte> bytes) {
    if (!bytes.empty()) sink += std::to_integer<std::uint64_t>(bytes.front()) + bytes.size();
}

double thread_cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

double best_seconds(int rounds, const std::function<void()>& work) {
    double best = 1e300;
    for (int i = 0; i < rounds; ++i) {
        const double start = thread_cpu_seconds();
        work();
        best = std::min(best, thread_cpu_seconds() - start);
    }
    return best;
}

void report(const char* name, std::size_t bytes, double seconds, const std::string& note = "") {
    std::printf("%-34s %8.0f MB/s  %s\n", name, static_cast<double>(bytes) / seconds / 1e6,
                note.c_str());
}

std::vector<std::span<const std::byte>> cut(const chunker_params& params,
                                            std::span<const std::byte> data) {
    std::vector<std::span<const std::byte>> chunks;
    chunker c(params);
    while (const auto length = c.scan(data)) {
        chunks.push_back(data.first(*length));
        data = data.subspan(*length);
    }
    if (!data.empty()) chunks.push_back(data);
    return chunks;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 256;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
    const std::size_t size = mib * 1024 * 1024;

    std::printf("generating %zu MiB of dump-like data...\n", mib);
    const auto data = holdfast::bench::dump_like_data(size);
    const chunker_params params;  // the defaults
    const auto chunks = cut(params, data);
    std::printf("%zu chunks, mean %.0f KiB (min %zu, avg %zu, max %zu KiB)\n\n", chunks.size(),
                static_cast<double>(size) / static_cast<double>(chunks.size()) / 1024,
                params.min_size / 1024, params.avg_size / 1024, params.max_size / 1024);

    for (const std::size_t avg :
         {std::size_t{64} << 10, std::size_t{256} << 10, std::size_t{1} << 20}) {
        for (const std::size_t min_divisor : {4u, 2u}) {
            const chunker_params p{
                .min_size = avg / min_divisor, .avg_size = avg, .max_size = avg * 8};
            const double s = best_seconds(rounds, [&] { sink += cut(p, data).size(); });
            const std::string name = "FastCDC avg " + std::to_string(avg >> 10) + " KiB, min avg/" +
                                     std::to_string(min_divisor);
            report(name.c_str(), size, s);
        }
    }
    // The hash loop alone: with min_size at its floor almost every byte is hashed and tested.
    {
        const chunker_params p{
            .min_size = 64, .avg_size = std::size_t{1} << 20, .max_size = std::size_t{8} << 20};
        report("gear hash, no skipping", size,
               best_seconds(rounds, [&] { sink += cut(p, data).size(); }));
    }

    const auto key = key256::random();
    hmac_sha256 mac(key.bytes());
    report("HMAC-SHA256 per chunk", size, best_seconds(rounds, [&] {
               for (const auto chunk : chunks) consume(mac.mac(chunk));
           }));
    report("SHA-256 whole stream", size, best_seconds(rounds, [&] {
               sha256 h;
               h.update(data);
               consume(h.finish());
           }));

    std::vector<std::vector<std::byte>> frames(chunks.size());
    for (const int level : {1, 3}) {
        zstd_compressor compressor(level);
        std::vector<std::byte> scratch;
        std::size_t stored = 0;
        const double s = best_seconds(rounds, [&] {
            stored = 0;
            for (std::size_t i = 0; i < chunks.size(); ++i) {
                const auto blob = encode_blob(compressor, chunks[i], scratch);
                stored += blob.bytes.size();
                if (level == 3) frames[i].assign(blob.bytes.begin(), blob.bytes.end());
            }
        });
        char note[64];
        std::snprintf(note, sizeof note, "ratio %.2f",
                      static_cast<double>(size) / static_cast<double>(stored));
        report(level == 1 ? "zstd -1 per chunk (encode_blob)" : "zstd -3 per chunk (encode_blob)",
               size, s, note);
    }
    zstd_decompressor decompressor;
    std::vector<std::byte> plain(params.max_size);
    report("zstd decompress (-3 frames)", size, best_seconds(rounds, [&] {
               for (const auto& frame : frames)
                   consume(std::span(plain).first(decompressor.decompress_into(plain, frame)));
           }));

    aes256gcm aead(key);
    std::vector<std::byte> sealed(aes256gcm::sealed_size(params.max_size));
    report("AES-256-GCM seal per chunk", size, best_seconds(rounds, [&] {
               for (const auto chunk : chunks)
                   consume(std::span(sealed).first(aead.seal_into(sealed, chunk)));
           }));
    const auto one_sealed = aead.seal(chunks.front());
    const auto open_seconds = best_seconds(rounds, [&] {
        for (std::size_t i = 0; i < chunks.size(); ++i)
            consume(std::span(plain).first(aead.open_into(plain, one_sealed)));
    });
    report("AES-256-GCM open per chunk", chunks.size() * chunks.front().size(), open_seconds);

    // The backup hot path on one core: cut, id, compress, seal, and the stream's SHA-256.
    for (const int level : {1, 3}) {
        zstd_compressor compressor(level);
        std::vector<std::byte> scratch;
        const double s = best_seconds(rounds, [&] {
            sha256 stream_hash;
            stream_hash.update(data);
            consume(stream_hash.finish());
            for (const auto chunk : cut(params, data)) {
                consume(mac.mac(chunk));
                const auto blob = encode_blob(compressor, chunk, scratch);
                consume(std::span(sealed).first(aead.seal_into(sealed, blob.bytes)));
            }
        });
        report(level == 1 ? "pipeline 1 core: cut+ids+zstd-1+seal"
                          : "pipeline 1 core: cut+ids+zstd-3+seal",
               size, s);
    }
    std::printf("\n(checksum %llu)\n", static_cast<unsigned long long>(sink));
}
