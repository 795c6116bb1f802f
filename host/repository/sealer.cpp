#include "repository/sealer.hpp"

#include <algorithm>
#include <cstdint>

namespace holdfast::repository {

namespace {

constexpr std::size_t checksum_size = 32;

digest256 checksum(std::span<const std::byte> plaintext, std::span<const std::byte> aad) {
    // The length first, so aad and plaintext cannot trade bytes.
    std::array<std::byte, 8> length{};
    for (std::size_t i = 0; i < 8; ++i)
        length[i] = static_cast<std::byte>((std::uint64_t{aad.size()} >> (8 * i)) & 0xff);
    sha256 hasher;
    hasher.update(length);
    hasher.update(aad);
    hasher.update(plaintext);
    return hasher.finish();
}

}  // namespace

sealer::sealer(const key256* key) {
    if (key != nullptr) aead_.emplace(*key);
}

std::size_t sealer::overhead() const noexcept {
    return aead_ ? aes256gcm::overhead : checksum_size;
}

std::vector<std::byte> sealer::seal(std::span<const std::byte> plaintext,
                                    std::span<const std::byte> aad_bytes) {
    if (aead_) return aead_->seal(plaintext, aad_bytes);
    std::vector<std::byte> out(plaintext.begin(), plaintext.end());
    const digest256 sum = checksum(plaintext, aad_bytes);
    out.insert(out.end(), sum.begin(), sum.end());
    return out;
}

std::vector<std::byte> sealer::open(std::span<const std::byte> sealed,
                                    std::span<const std::byte> aad_bytes) {
    if (aead_) return aead_->open(sealed, aad_bytes);
    if (sealed.size() < checksum_size)
        throw authentication_error("object of " + std::to_string(sealed.size()) +
                                   " bytes is shorter than its checksum");
    const auto plaintext = sealed.first(sealed.size() - checksum_size);
    const digest256 sum = checksum(plaintext, aad_bytes);
    if (!constant_time_equal(sum, sealed.last(checksum_size)))
        throw authentication_error("checksum mismatch: the bytes were altered or truncated");
    return {plaintext.begin(), plaintext.end()};
}

}  // namespace holdfast::repository
