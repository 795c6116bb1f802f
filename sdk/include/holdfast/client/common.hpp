// Header-only C++ helpers for the *calling* side of the ABI (the host, or a
// test harness): RAII handles over a plugin's function table that turn status
// codes into exceptions, and C++ interfaces that are exposed to plugins as the
// ABI's callback structs.
#pragma once

#include <holdfast/abi.h>

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

// Collects a string result delivered through hf_string_callback.
inline hf_status append_string(void* context, const char* data, std::size_t length) {
    static_cast<std::string*>(context)->append(data, length);
    return HF_OK;
}

}  // namespace holdfast::client
