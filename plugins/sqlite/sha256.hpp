// Incremental SHA-256 (OpenSSL), hex output.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace holdfast::engines::sqlite {

class sha256 {
public:
    sha256();
    sha256(sha256&&) noexcept = default;
    sha256& operator=(sha256&&) noexcept = default;
    ~sha256();

    void update(std::span<const std::byte> data);
    void update(std::string_view text) { update(std::as_bytes(std::span(text.data(), text.size()))); }
    // Lower-case hex of the digest. The object cannot be updated afterwards.
    std::string hex_digest();

private:
    struct context_deleter {
        void operator()(evp_md_ctx_st* context) const noexcept;
    };
    std::unique_ptr<evp_md_ctx_st, context_deleter> context_;
};

}  // namespace holdfast::engines::sqlite
