// RAII handle over a storage plugin's function table (see client/common.hpp).
#pragma once

#include <holdfast/client/common.hpp>
#include <holdfast/storage.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace holdfast::client {

struct object_info {
    std::string key;
    std::uint64_t size = 0;
    std::int64_t modified_unix_ns = 0;
};

// One open store. Move-only; closes the plugin handle on destruction.
class storage_instance {
public:
    // Open through `functions` (which must outlive this object, as must `host`).
    storage_instance(const hf_storage_functions* functions, const std::string& settings_json,
                     const hf_host_services* host)
        : functions_(functions) {
        hf_error err = make_error();
        check(functions_->open(settings_json.c_str(), host, &handle_, &err), err, "opening storage");
    }
    storage_instance(storage_instance&& other) noexcept
        : functions_(other.functions_), handle_(std::exchange(other.handle_, nullptr)) {}
    storage_instance& operator=(storage_instance&& other) noexcept {
        if (this != &other) {
            reset();
            functions_ = other.functions_;
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    storage_instance(const storage_instance&) = delete;
    storage_instance& operator=(const storage_instance&) = delete;
    ~storage_instance() { reset(); }

    std::uint64_t features() const { return functions_->features; }
    bool has_feature(std::uint64_t bit) const { return (functions_->features & bit) != 0; }

    void put(const std::string& key, std::span<const std::byte> data, std::uint32_t flags = 0) {
        hf_error err = make_error();
        check(functions_->put(handle_, c_key(key), data.data(), data.size(), flags, &err), err,
              "storing object '" + key + "'");
    }

    // Stream [offset, offset + length) of `key` into `sink`, piece by piece.
    // An exception thrown by `sink` stops the read and is rethrown here.
    void get(const std::string& key, std::uint64_t offset, std::uint64_t length,
             const std::function<void(std::span<const std::byte>)>& sink) {
        callback_context<std::function<void(std::span<const std::byte>)>> ctx{&sink, nullptr};
        auto callback = [](void* context, const void* data, std::size_t size) -> hf_status {
            auto* c = static_cast<decltype(ctx)*>(context);
            return c->call(std::span(static_cast<const std::byte*>(data), size));
        };
        hf_error err = make_error();
        hf_status status = functions_->get(handle_, c_key(key), offset, length, callback, &ctx, &err);
        ctx.rethrow();
        check(status, err, "reading object '" + key + "'");
    }

    std::vector<std::byte> get(const std::string& key, std::uint64_t offset = 0,
                               std::uint64_t length = HF_WHOLE_OBJECT) {
        std::vector<std::byte> out;
        get(key, offset, length, [&](std::span<const std::byte> piece) { out.insert(out.end(), piece.begin(), piece.end()); });
        return out;
    }

    // Call `each` for every object under `prefix`, in key order. An exception
    // thrown by `each` stops the listing and is rethrown here.
    void list(const std::string& prefix, const std::function<void(const object_info&)>& each) {
        callback_context<std::function<void(const object_info&)>> ctx{&each, nullptr};
        auto callback = [](void* context, const char* key, const hf_object_info* info) noexcept -> hf_status {
            auto* c = static_cast<decltype(ctx)*>(context);
            // Build the object_info inside call()'s try: copying the key can throw,
            // and nothing may propagate out of a C callback.
            return c->call_with([&] {
                return object_info{key, HF_HAS_FIELD(info, hf_object_info, size) ? info->size : 0,
                                   HF_HAS_FIELD(info, hf_object_info, modified_unix_ns) ? info->modified_unix_ns : 0};
            });
        };
        hf_error err = make_error();
        hf_status status = functions_->list(handle_, c_key(prefix), callback, &ctx, &err);
        ctx.rethrow();
        check(status, err, "listing objects under '" + prefix + "'");
    }

    std::vector<object_info> list(const std::string& prefix) {
        std::vector<object_info> out;
        list(prefix, [&](const object_info& o) { out.push_back(o); });
        return out;
    }

    // std::nullopt when the object does not exist.
    std::optional<object_info> stat(const std::string& key) {
        hf_error err = make_error();
        hf_object_info info{};
        info.struct_size = sizeof(info);
        hf_status status = functions_->stat(handle_, c_key(key), &info, &err);
        if (status == HF_ERR_NOT_FOUND) return std::nullopt;
        check(status, err, "inspecting object '" + key + "'");
        return object_info{key, info.size, info.modified_unix_ns};
    }

    void remove(const std::string& key) {
        hf_error err = make_error();
        check(functions_->remove(handle_, c_key(key), &err), err, "deleting object '" + key + "'");
    }

private:
    // The ABI passes keys as C strings: an embedded NUL would silently name a
    // different object (and `remove` would delete it), so refuse it here.
    static const char* c_key(const std::string& key) {
        if (key.find('\0') != std::string::npos)
            throw plugin_error(HF_ERR_INVALID_ARGUMENT, "invalid object key: it contains a NUL byte");
        return key.c_str();
    }

    // Carries a host callback into the plugin and its exception back out.
    template <typename Fn>
    struct callback_context {
        const Fn* fn;
        std::exception_ptr failure;
        template <typename Arg>
        hf_status call(Arg&& arg) noexcept {
            return call_with([&]() -> Arg&& { return std::forward<Arg>(arg); });
        }
        // Like call(), with the argument made by `make` inside the try.
        template <typename Make>
        hf_status call_with(Make&& make) noexcept {
            try {
                (*fn)(make());
                return HF_OK;
            } catch (...) {
                failure = std::current_exception();
                return HF_ERR_CANCELLED;
            }
        }
        void rethrow() const {
            if (failure) std::rethrow_exception(failure);
        }
    };

    void reset() noexcept {
        if (handle_ != nullptr) functions_->close(handle_);
        handle_ = nullptr;
    }
    const hf_storage_functions* functions_;
    hf_storage* handle_ = nullptr;
};

}  // namespace holdfast::client
