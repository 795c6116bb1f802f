#include "sha256.hpp"

#include <holdfast/plugin/common.hpp>

#include <openssl/evp.h>

namespace holdfast::engines::sqlite {

using holdfast::plugin::error;

void sha256::context_deleter::operator()(evp_md_ctx_st* context) const noexcept { EVP_MD_CTX_free(context); }

sha256::sha256() : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1)
        throw error(HF_ERR_INTERNAL, "cannot initialise SHA-256 (OpenSSL)");
}

sha256::~sha256() = default;

void sha256::update(std::span<const std::byte> data) {
    if (!data.empty() && EVP_DigestUpdate(context_.get(), data.data(), data.size()) != 1)
        throw error(HF_ERR_INTERNAL, "SHA-256 update failed (OpenSSL)");
}

std::string sha256::hex_digest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest, &length) != 1)
        throw error(HF_ERR_INTERNAL, "SHA-256 final failed (OpenSSL)");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0x0f];
    }
    return out;
}

}  // namespace holdfast::engines::sqlite
