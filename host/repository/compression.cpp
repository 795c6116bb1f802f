#include "repository/compression.hpp"

#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

namespace holdfast::repository {

namespace {

// The four bytes every zstd data frame starts with (ZSTD_MAGICNUMBER, little-endian). Checked
// by hand because skippable frames would otherwise "decompress" to nothing.
constexpr std::array<std::byte, 4> zstd_magic{std::byte{0x28}, std::byte{0xb5}, std::byte{0x2f},
                                              std::byte{0xfd}};

[[noreturn]] void fail(const std::string& what, std::size_t zstd_result) {
    throw compression_error(what + ": " + ZSTD_getErrorName(zstd_result));
}

// The fastest levels (1 and the negative ones: zstd's "fast" strategy) get a match table of
// 4,096 entries, 16 KiB, which stays in the L1 cache; zstd gives level 1 8,192 to 16,384.
// On the pg_dump output of shared/bench/realistic-db.sql in 256 KiB blocks that compressed
// 25% faster at a 0.3% better ratio; on a binary (an executable) 13% faster at a 4% worse
// one (docs/benchmarks.md, "zstd match table"). Other levels keep zstd's choice (0).
int plain_hash_log(int level) noexcept { return level <= 1 ? 12 : 0; }

}  // namespace

void zstd_free::operator()(ZSTD_CCtx_s* ctx) const noexcept { ZSTD_freeCCtx(ctx); }
void zstd_free::operator()(ZSTD_DCtx_s* ctx) const noexcept { ZSTD_freeDCtx(ctx); }

zstd_compressor::zstd_compressor(int level) : level_(level), ctx_(ZSTD_createCCtx()) {
    if (!ctx_) throw compression_error("cannot allocate a zstd compression context");
    if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel())
        throw std::invalid_argument("zstd level " + std::to_string(level) + " is out of range " +
                                    std::to_string(ZSTD_minCLevel()) + ".." +
                                    std::to_string(ZSTD_maxCLevel()));
    const auto set = [&](ZSTD_cParameter parameter, int value) {
        if (const auto r = ZSTD_CCtx_setParameter(ctx_.get(), parameter, value); ZSTD_isError(r))
            fail("setting a zstd parameter", r);
    };
    set(ZSTD_c_compressionLevel, level);
    plain_hash_log_ = plain_hash_log(level);
    set(ZSTD_c_hashLog, plain_hash_log_);
    // The recorded size is what lets the reader refuse oversized frames before allocating.
    set(ZSTD_c_contentSizeFlag, 1);
    // No frame checksum: every blob is authenticated by AES-GCM already.
    set(ZSTD_c_checksumFlag, 0);
}

std::size_t zstd_compressor::bound(std::size_t size) noexcept { return ZSTD_compressBound(size); }

std::optional<std::size_t> zstd_compressor::compress_into(std::span<std::byte> out,
                                                          std::span<const std::byte> in) {
    const std::size_t result =
        ZSTD_compress2(ctx_.get(), out.data(), out.size(), in.data(), in.size());
    if (!ZSTD_isError(result)) return result;
    if (ZSTD_getErrorCode(result) == ZSTD_error_dstSize_tooSmall) return std::nullopt;
    fail("zstd compression failed", result);
}

std::optional<std::size_t> zstd_compressor::compress_into(std::span<std::byte> out,
                                                          std::span<const std::byte> in,
                                                          std::span<const std::byte> prefix) {
    // Both parameters are sticky: they are set back so that plain frames stay as the level
    // makes them.
    const std::size_t span = std::max<std::size_t>(prefix.size() + in.size(), 1);
    // 10 is zstd's smallest window; 27 the largest a decompressor accepts by default.
    int window_log = 10;
    while (window_log < 27 && (std::size_t{1} << window_log) < span) ++window_log;
    const auto set = [&](ZSTD_cParameter parameter, int value) {
        if (const auto r = ZSTD_CCtx_setParameter(ctx_.get(), parameter, value); ZSTD_isError(r))
            fail("setting a zstd parameter", r);
    };
    set(ZSTD_c_windowLog, window_log);
    set(ZSTD_c_hashLog, std::min(window_log, 20));
    // A prefix is used by one frame; one that was not used (an error) is dropped here, as it
    // may not outlive this call. A NULL prefix means none.
    const auto drop_prefix = [&] {
        ZSTD_CCtx_reset(ctx_.get(), ZSTD_reset_session_only);
        ZSTD_CCtx_refPrefix(ctx_.get(), nullptr, 0);
        set(ZSTD_c_windowLog, 0);
        set(ZSTD_c_hashLog, plain_hash_log_);
    };
    std::optional<std::size_t> result;
    try {
        if (const auto r = ZSTD_CCtx_refPrefix(ctx_.get(), prefix.data(), prefix.size()); ZSTD_isError(r))
            fail("referencing a zstd prefix", r);
        result = compress_into(out, in);
    } catch (...) {
        drop_prefix();
        throw;
    }
    drop_prefix();
    return result;
}

std::vector<std::byte> zstd_compressor::compress(std::span<const std::byte> in) {
    std::vector<std::byte> out(bound(in.size()));
    const auto size = compress_into(out, in);
    if (!size) throw compression_error("zstd output exceeded its own bound");
    out.resize(*size);
    return out;
}

zstd_decompressor::zstd_decompressor() : ctx_(ZSTD_createDCtx()) {
    if (!ctx_) throw compression_error("cannot allocate a zstd decompression context");
}

std::size_t zstd_decompressor::content_size(std::span<const std::byte> frame) {
    if (frame.size() < zstd_magic.size() ||
        !std::equal(zstd_magic.begin(), zstd_magic.end(), frame.begin()))
        throw compression_error("not a zstd frame");
    const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR) throw compression_error("corrupt zstd frame header");
    if (size == ZSTD_CONTENTSIZE_UNKNOWN)
        throw compression_error("zstd frame does not record its content size");
    if (size > SIZE_MAX) throw compression_error("zstd frame content size does not fit in memory");
    return static_cast<std::size_t>(size);
}

std::size_t zstd_decompressor::decompress_into(std::span<std::byte> out,
                                               std::span<const std::byte> frame) {
    const std::size_t size = content_size(frame);
    if (size > out.size())
        throw compression_error("zstd frame declares " + std::to_string(size) +
                                " bytes, more than the limit of " + std::to_string(out.size()));
    const std::size_t frame_size = ZSTD_findFrameCompressedSize(frame.data(), frame.size());
    if (ZSTD_isError(frame_size)) fail("corrupt zstd frame", frame_size);
    if (frame_size != frame.size())
        throw compression_error(std::to_string(frame.size() - frame_size) +
                                " unexpected bytes after the zstd frame");
    // Single-shot decompression writes straight into `out` and needs no window buffer, so
    // memory stays at the declared (and checked) size whatever the frame's window log says.
    const std::size_t result =
        ZSTD_decompressDCtx(ctx_.get(), out.data(), size, frame.data(), frame.size());
    if (ZSTD_isError(result)) fail("corrupt zstd frame", result);
    if (result != size)
        throw compression_error("zstd frame decompressed to " + std::to_string(result) +
                                " bytes, its header says " + std::to_string(size));
    return size;
}

std::size_t zstd_decompressor::decompress_into(std::span<std::byte> out,
                                               std::span<const std::byte> frame,
                                               std::span<const std::byte> prefix) {
    if (const auto r = ZSTD_DCtx_refPrefix(ctx_.get(), prefix.data(), prefix.size()); ZSTD_isError(r))
        fail("referencing a zstd prefix", r);
    try {
        return decompress_into(out, frame);
    } catch (...) {
        // A frame refused before decompression would leave the prefix, which may not outlive
        // this call, for the next one. A NULL prefix means none.
        ZSTD_DCtx_refPrefix(ctx_.get(), nullptr, 0);
        throw;
    }
}

std::vector<std::byte> zstd_decompressor::decompress(std::span<const std::byte> frame,
                                                     std::size_t max_size) {
    const std::size_t size = content_size(frame);
    if (size > max_size)
        throw compression_error("zstd frame declares " + std::to_string(size) +
                                " bytes, more than the limit of " + std::to_string(max_size));
    std::vector<std::byte> out(size);
    decompress_into(out, frame);
    return out;
}

encoded_blob encode_blob(zstd_compressor& compressor, std::span<const std::byte> plain,
                         std::vector<std::byte>& scratch) {
    // Room for the worst case: zstd may need a little headroom beyond the final frame size,
    // so a tighter buffer would turn some blobs that do pay into raw ones.
    const std::size_t room = zstd_compressor::bound(plain.size());
    // Grown, never shrunk: growing a vector again would zero-fill the new part every time.
    if (scratch.size() < room) scratch.resize(room);
    const auto size = compressor.compress_into(std::span(scratch).first(room), plain);
    if (!size || !compression_pays(plain.size(), *size)) return {blob_encoding::raw, plain};
    return {blob_encoding::zstd, std::span<const std::byte>(scratch).first(*size)};
}

}  // namespace holdfast::repository
