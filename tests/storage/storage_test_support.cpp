#include "storage_contract.hpp"

#include <cstring>

namespace holdfast::testing {

bytes to_bytes(std::string_view text) {
    bytes out(text.size());
    if (!text.empty()) std::memcpy(out.data(), text.data(), text.size());
    return out;
}

bytes pattern(std::size_t size, std::uint32_t seed) {
    bytes out(size);
    // xorshift32: cheap, deterministic, and hits every byte value quickly.
    std::uint32_t state = seed * 2654435761u + 1u;
    for (std::size_t i = 0; i < size; ++i) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        out[i] = static_cast<std::byte>(state >> 24);
    }
    return out;
}

std::string expect_status(hf_status code, const std::function<void()>& body) {
    try {
        body();
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), code) << "message: " << e.what();
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected plugin_error with status " << code << ", got another exception: " << e.what();
        return {};
    }
    ADD_FAILURE() << "expected plugin_error with status " << code << ", but the call succeeded";
    return {};
}

std::vector<std::string> keys_of(const std::vector<client::object_info>& objects) {
    std::vector<std::string> keys;
    keys.reserve(objects.size());
    for (const auto& o : objects) keys.push_back(o.key);
    return keys;
}

}  // namespace holdfast::testing
