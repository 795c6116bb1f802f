// Header-only C++ helpers for plugin authors: the parts shared by every kind.
//
// A plugin written with these helpers never lets an exception cross the C ABI:
// every entry point runs inside guarded(), which turns holdfast::plugin::error
// (and any other exception) into an hf_status plus a message in the caller's
// hf_error.
#pragma once

#include <holdfast/abi.h>

#include <cstdint>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace holdfast::plugin {

// Throw this from plugin code to fail with a specific status code. The message
// reaches the user as one line: say what is wrong and what to do about it.
class error : public std::runtime_error {
public:
    error(hf_status code, const std::string& message) : std::runtime_error(message), code_(code) {}
    hf_status code() const noexcept { return code_; }

private:
    hf_status code_;
};

// Non-owning view of the host's services. Cheap to copy; valid while the
// object it was handed to (plugin, engine, storage) lives.
class host_services {
public:
    host_services() = default;
    explicit host_services(const hf_host_services* services) : services_(services) {}

    void log(hf_log_level level, const std::string& message) const {
        if (services_ != nullptr && HF_HAS_FIELD(services_, hf_host_services, log) && services_->log != nullptr)
            services_->log(services_->context, level, message.c_str());
    }
    void debug(const std::string& message) const { log(HF_LOG_DEBUG, message); }
    void info(const std::string& message) const { log(HF_LOG_INFO, message); }
    void warn(const std::string& message) const { log(HF_LOG_WARN, message); }

    // total == 0: unknown.
    void progress(const std::string& phase, std::uint64_t done, std::uint64_t total) const {
        if (services_ != nullptr && HF_HAS_FIELD(services_, hf_host_services, progress) && services_->progress != nullptr)
            services_->progress(services_->context, phase.c_str(), done, total);
    }

    bool cancelled() const {
        return services_ != nullptr && HF_HAS_FIELD(services_, hf_host_services, cancelled) &&
               services_->cancelled != nullptr && services_->cancelled(services_->context) != 0;
    }
    // Throws error(HF_ERR_CANCELLED) when the user asked to stop.
    void throw_if_cancelled() const {
        if (cancelled()) throw error(HF_ERR_CANCELLED, "cancelled by the user");
    }

    const hf_host_services* raw() const noexcept { return services_; }

private:
    const hf_host_services* services_ = nullptr;
};

// Run `body` and convert any exception into a status code and message in
// `err`. Every C entry point of a plugin goes through this.
template <typename Body>
hf_status guarded(hf_error* err, Body&& body) noexcept {
    try {
        std::forward<Body>(body)();
        return HF_OK;
    } catch (const error& e) {
        return hf_error_set(err, e.code(), e.what());
    } catch (const std::bad_alloc&) {
        return hf_error_set(err, HF_ERR_INTERNAL, "out of memory");
    } catch (const std::exception& e) {
        return hf_error_set(err, HF_ERR_INTERNAL, e.what());
    } catch (...) {
        return hf_error_set(err, HF_ERR_INTERNAL, "unknown exception inside the plugin");
    }
}

// Throw error(code, message from err) unless status is HF_OK: for calls a
// plugin makes back into the host (sink writes, source reads).
inline void check(hf_status status, const hf_error& err, std::string_view what) {
    if (status == HF_OK) return;
    std::string message(what);
    if (err.message[0] != '\0') message += ": " + std::string(err.message);
    throw error(status, message);
}

// The host services inside init's arguments, or none when the host's struct
// is too old to carry them.
inline const hf_host_services* init_host(const hf_init_args* args) noexcept {
    return args != nullptr && HF_HAS_FIELD(args, hf_init_args, host) ? args->host : nullptr;
}

inline hf_error make_error() noexcept {
    hf_error e{};
    e.struct_size = sizeof(hf_error);
    return e;
}

// Deliver a whole string through a host callback.
inline void deliver(hf_string_callback callback, void* context, std::string_view text) {
    if (callback == nullptr) return;
    hf_status status = callback(context, text.data(), text.size());
    if (status != HF_OK) throw error(status, "the host refused the result");
}

}  // namespace holdfast::plugin
