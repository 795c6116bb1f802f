#include "repository/stream_checksum.hpp"

#include "repository/crypto.hpp"

#include <xxhash.h>

#include <algorithm>
#include <new>

namespace holdfast::repository {

namespace {

constexpr std::size_t hex_length(checksum_algorithm algorithm) noexcept {
    return algorithm == checksum_algorithm::xxh3_128 ? 32 : 64;
}

}  // namespace

std::string_view stream_checksum::key_of(checksum_algorithm algorithm) noexcept {
    return algorithm == checksum_algorithm::xxh3_128 ? "xxh3_128" : "sha256";
}

bool stream_checksum::well_formed() const noexcept {
    return hex.size() == hex_length(algorithm) &&
           std::all_of(hex.begin(), hex.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

void stream_hasher::xxh3_free::operator()(XXH3_state_s* state) const noexcept { XXH3_freeState(state); }

stream_hasher::stream_hasher(checksum_algorithm algorithm) : algorithm_(algorithm) {
    if (algorithm_ == checksum_algorithm::sha256) {
        sha256_ = std::make_unique<sha256>();
        return;
    }
    xxh3_.reset(XXH3_createState());
    if (!xxh3_) throw std::bad_alloc();
    XXH3_128bits_reset(xxh3_.get());
}

stream_hasher::stream_hasher(stream_hasher&&) noexcept = default;
stream_hasher& stream_hasher::operator=(stream_hasher&&) noexcept = default;
stream_hasher::~stream_hasher() = default;

void stream_hasher::update(std::span<const std::byte> data) {
    if (sha256_) {
        sha256_->update(data);
        return;
    }
    // Fails only for a null state, which the constructor rules out.
    XXH3_128bits_update(xxh3_.get(), data.data(), data.size());
}

stream_checksum stream_hasher::finish() {
    if (sha256_) return {algorithm_, to_hex(sha256_->finish())};
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(xxh3_.get()));
    XXH3_128bits_reset(xxh3_.get());
    return {algorithm_, to_hex(std::as_bytes(std::span(canonical.digest)))};
}

stream_checksum stream_hasher::of(std::span<const std::byte> data, checksum_algorithm algorithm) {
    stream_hasher hasher(algorithm);
    hasher.update(data);
    return hasher.finish();
}

}  // namespace holdfast::repository
