#include "repository/master_key.hpp"

#include <algorithm>
#include <stdexcept>

namespace holdfast::repository {

master_key master_key::generate() {
    master_key key;
    key.encryption = key256::random();
    key.id_key = key256::random();
    secret<8> seed = secret<8>::random();
    for (std::size_t i = 0; i < 8; ++i)
        key.chunker_seed |= std::to_integer<std::uint64_t>(seed.bytes()[i]) << (8 * i);
    return key;
}

secret<master_key::serialized_size> master_key::serialize() const {
    secret<serialized_size> out;
    auto bytes = out.writable_bytes();
    std::copy(encryption.bytes().begin(), encryption.bytes().end(), bytes.begin());
    std::copy(id_key.bytes().begin(), id_key.bytes().end(), bytes.begin() + 32);
    for (std::size_t i = 0; i < 8; ++i)
        bytes[64 + i] = static_cast<std::byte>((chunker_seed >> (8 * i)) & 0xff);
    return out;
}

master_key master_key::parse(std::span<const std::byte> bytes) {
    if (bytes.size() != serialized_size)
        throw std::invalid_argument("master key material of " + std::to_string(bytes.size()) +
                                    " bytes, expected " + std::to_string(serialized_size));
    master_key key;
    key.encryption = key256(bytes.subspan<0, 32>());
    key.id_key = key256(bytes.subspan<32, 32>());
    for (std::size_t i = 0; i < 8; ++i)
        key.chunker_seed |= std::to_integer<std::uint64_t>(bytes[64 + i]) << (8 * i);
    return key;
}

}  // namespace holdfast::repository
