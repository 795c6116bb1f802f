// Header-only C++ helpers for the *calling* side of the ABI (the host, or a
// test harness): RAII handles over a plugin's function table that turn status
// codes into exceptions, and C++ interfaces that are exposed to plugins as the
// ABI's callback structs.
#pragma once

#include <holdfast/abi.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace holdfast::client {

// A plugin call failed. code() is the plugin's hf_status; what() is
// "<what the host was doing>: <the plugin's message>".
class plugin_error : public std::runtime_error {
public:
    plugin_error(hf_status code, const std::string& message) : std::runtime_error(message), code_(code) {}
    hf_status code() const noexcept { return code_; }

private:
    hf_status code_;
};

inline hf_error make_error() noexcept {
    hf_error e{};
    e.struct_size = sizeof(hf_error);
    return e;
}

// Throw plugin_error unless `status` is HF_OK.
inline void check(hf_status status, const hf_error& err, std::string_view what) {
    if (status == HF_OK) return;
    std::string message(what);
    if (err.message[0] != '\0') message += ": " + std::string(err.message);
    throw plugin_error(status, message);
}

// Run host code that is called *by* a plugin (a sink or source callback):
// any exception becomes a status code and message, never crossing the ABI.
template <typename Body>
hf_status guarded(hf_error* err, Body&& body) noexcept {
    try {
        std::forward<Body>(body)();
        return HF_OK;
    } catch (const plugin_error& e) {
        return hf_error_set(err, e.code(), e.what());
    } catch (const std::exception& e) {
        return hf_error_set(err, HF_ERR_FAILED, e.what());
    } catch (...) {
        return hf_error_set(err, HF_ERR_INTERNAL, "unknown exception in the host");
    }
}

// Collects a string result delivered through hf_string_callback. Called by
// the plugin through the C ABI, so it must not throw (bad_alloc included).
inline hf_status append_string(void* context, const char* data, std::size_t length) noexcept {
    try {
        static_cast<std::string*>(context)->append(data, length);
        return HF_OK;
    } catch (...) {
        return HF_ERR_INTERNAL;
    }
}

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code
// points past U+10FFFF): the ABI's strings are UTF-8, and the host stores names
// in JSON documents, which must not receive anything else.
inline bool valid_utf8(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80u) {
            ++i;
            continue;
        }
        std::size_t trail = 0;
        std::uint32_t code = 0;
        std::uint32_t smallest = 0;
        if ((lead & 0xE0u) == 0xC0u) {
            trail = 1, code = lead & 0x1Fu, smallest = 0x80u;
        } else if ((lead & 0xF0u) == 0xE0u) {
            trail = 2, code = lead & 0x0Fu, smallest = 0x800u;
        } else if ((lead & 0xF8u) == 0xF0u) {
            trail = 3, code = lead & 0x07u, smallest = 0x10000u;
        } else {
            return false;
        }
        if (text.size() - i <= trail) return false;
        for (std::size_t k = 1; k <= trail; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0u) != 0x80u) return false;
            code = (code << 6) | (next & 0x3Fu);
        }
        if (code < smallest || code > 0x10FFFFu || (code >= 0xD800u && code <= 0xDFFFu)) return false;
        i += trail + 1;
    }
    return true;
}

}  // namespace holdfast::client
