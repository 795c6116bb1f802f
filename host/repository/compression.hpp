// zstd compression of blobs, and the rule that decides whether a blob is stored compressed.
//
// Each object keeps its zstd context for its lifetime (contexts are costly to create and
// their tables are reused between blobs); like the contexts, objects are not thread-safe:
// use one per worker thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace holdfast::repository {

// Compression failed, or a frame was refused as corrupt, oversized or not ours.
class compression_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct zstd_free {
    void operator()(ZSTD_CCtx_s* ctx) const noexcept;
    void operator()(ZSTD_DCtx_s* ctx) const noexcept;
};

class zstd_compressor {
public:
    // Levels as zstd's (1 fastest .. 19; negative levels are faster still).
    explicit zstd_compressor(int level = 3);

    int level() const noexcept { return level_; }

    // The most a compressed frame of `size` input bytes can take.
    static std::size_t bound(std::size_t size) noexcept;

    // Compresses `in` into one frame that records its content size. Returns the frame's size,
    // or nullopt when `out` is too small; zstd may need some headroom beyond the final size,
    // so only bound(in.size()) bytes guarantee success.
    std::optional<std::size_t> compress_into(std::span<std::byte> out,
                                             std::span<const std::byte> in);
    std::vector<std::byte> compress(std::span<const std::byte> in);
    // As compress_into, with `prefix` as content that precedes `in` (zstd's refPrefix): the
    // frame can then copy from it, and only a decompressor given the same prefix reads it.
    // The window covers prefix and input, and a larger match table than the level's finds
    // matches anywhere in a prefix of megabytes.
    std::optional<std::size_t> compress_into(std::span<std::byte> out, std::span<const std::byte> in,
                                             std::span<const std::byte> prefix);

private:
    int level_;
    int plain_hash_log_ = 0;  // the match table's size (log2) for frames without a prefix; 0: the level's
    std::unique_ptr<ZSTD_CCtx_s, zstd_free> ctx_;
};

class zstd_decompressor {
public:
    zstd_decompressor();

    // Decompresses exactly one zstd frame. The frame's header must record its content size,
    // and that size must be at most `max_size`: it is checked before anything is allocated,
    // so a small frame cannot claim gigabytes.
    std::vector<std::byte> decompress(std::span<const std::byte> frame, std::size_t max_size);
    // As decompress() with max_size = out.size(); returns the content size.
    std::size_t decompress_into(std::span<std::byte> out, std::span<const std::byte> frame);
    // For a frame compressed against `prefix` (zstd_compressor::compress_into with a prefix).
    std::size_t decompress_into(std::span<std::byte> out, std::span<const std::byte> frame,
                                std::span<const std::byte> prefix);

    // The content size a well-formed frame header declares; throws compression_error for
    // anything else (not a zstd frame, size not recorded, truncated header).
    static std::size_t content_size(std::span<const std::byte> frame);

private:
    std::unique_ptr<ZSTD_DCtx_s, zstd_free> ctx_;
};

// How a blob's bytes are stored; the value is what the repository format records.
// zstd_delta: a zstd frame compressed against the plaintexts of other blobs, its bases (see
// blob_codec.hpp for the stored layout).
enum class blob_encoding : std::uint8_t { raw = 0, zstd = 1, zstd_delta = 2 };

// The storage rule: a blob is kept compressed only if that saves at least 1/32 of its size
// (about 3 %). Below that, decompressing on every restore costs more than the few bytes are
// worth, and incompressible data would otherwise grow by the frame header.
constexpr std::size_t max_compressed_size(std::size_t raw_size) noexcept {
    return raw_size - raw_size / 32;
}

constexpr bool compression_pays(std::size_t raw_size, std::size_t compressed_size) noexcept {
    return compressed_size <= max_compressed_size(raw_size);
}

struct encoded_blob {
    blob_encoding encoding;
    // Either the input itself (raw) or the front of the scratch buffer (zstd).
    std::span<const std::byte> bytes;
};

// Applies the storage rule to one blob. `scratch` is reused between calls, so steady-state
// encoding does not allocate; the result is valid until `scratch` or `plain` changes.
encoded_blob encode_blob(zstd_compressor& compressor, std::span<const std::byte> plain,
                         std::vector<std::byte>& scratch);

}  // namespace holdfast::repository
