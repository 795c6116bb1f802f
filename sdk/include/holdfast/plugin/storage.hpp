// Header-only C++ helpers for writing a storage plugin.
//
//   class my_storage : public holdfast::plugin::storage {
//   public:
//       my_storage(std::string_view settings_json, holdfast::plugin::host_services host);
//       void put(const std::string& key, std::span<const std::byte> data, std::uint32_t flags) override;
//       void get(const std::string& key, std::uint64_t offset, std::uint64_t length,
//                const holdfast::plugin::bytes_callback& out) override;
//       void list(const std::string& prefix, const holdfast::plugin::object_callback& each) override;
//       std::optional<holdfast::plugin::object_info> stat(const std::string& key) override;
//       void remove(const std::string& key) override;
//   };
//   HOLDFAST_STORAGE_PLUGIN(my_storage, "my-storage", "1.0.0", HF_STORAGE_FEATURE_RANGED_GET)
//
// Keys reaching these methods have already passed valid_key(); see storage.h
// for the semantics each method must provide (atomic put, ranges, ordering).
#pragma once

#include <holdfast/plugin/common.hpp>
#include <holdfast/storage.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace holdfast::plugin {

struct object_info {
    std::uint64_t size = 0;
    std::int64_t modified_unix_ns = 0;
};

using bytes_callback = std::function<void(std::span<const std::byte>)>;
using object_callback = std::function<void(const std::string& key, const object_info& info)>;

// The key rules of storage.h: relative, '/'-separated, no empty, "." or ".."
// segment, no backslash or NUL, 1..1024 bytes.
inline bool valid_key(std::string_view key) {
    if (key.empty() || key.size() > 1024) return false;
    std::size_t start = 0;
    while (true) {
        std::size_t end = key.find('/', start);
        std::string_view segment = key.substr(start, end == std::string_view::npos ? end : end - start);
        if (segment.empty() || segment == "." || segment == "..") return false;
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return key.find('\0') == std::string_view::npos && key.find('\\') == std::string_view::npos;
}

// Base class of a storage plugin instance: one open store.
class storage {
public:
    virtual ~storage() = default;
    virtual void put(const std::string& key, std::span<const std::byte> data, std::uint32_t flags) = 0;
    // Throw error(HF_ERR_NOT_FOUND) for a missing key.
    virtual void get(const std::string& key, std::uint64_t offset, std::uint64_t length,
                     const bytes_callback& out) = 0;
    // Call `each` in lexicographic key order.
    virtual void list(const std::string& prefix, const object_callback& each) = 0;
    virtual std::optional<object_info> stat(const std::string& key) = 0;
    virtual void remove(const std::string& key) = 0;
};

namespace detail {

inline std::string checked_key(const char* key) {
    std::string_view k = key != nullptr ? std::string_view(key) : std::string_view();
    if (!valid_key(k))
        throw error(HF_ERR_INVALID_ARGUMENT,
                    "invalid object key '" + std::string(k) +
                        "': keys are relative '/'-separated paths without empty, '.' or '..' segments");
    return std::string(k);
}

// Thrown by callbacks to carry the host's stop status out of a plugin loop.
struct host_stopped {
    hf_status status;
};

template <typename Storage>
struct storage_adapter {
    struct box {
        std::unique_ptr<Storage> storage;
    };
    static Storage& get_(hf_storage* handle) { return *reinterpret_cast<box*>(handle)->storage; }

    template <typename Body>
    static hf_status run(hf_error* err, Body&& body) noexcept {
        hf_status stopped = HF_OK;
        hf_status status = guarded(err, [&] {
            try {
                body();
            } catch (const host_stopped& s) {
                stopped = s.status;
            }
        });
        if (stopped != HF_OK) return hf_error_set(err, stopped, "stopped by the host");
        return status;
    }

    static hf_status open(const char* settings, const hf_host_services* host, hf_storage** out, hf_error* err) {
        return guarded(err, [&] {
            auto b = std::make_unique<box>();
            b->storage = std::make_unique<Storage>(std::string_view(settings != nullptr ? settings : "{}"),
                                                   host_services(host));
            *out = reinterpret_cast<hf_storage*>(b.release());
        });
    }
    static void close(hf_storage* handle) { delete reinterpret_cast<box*>(handle); }
    static hf_status put(hf_storage* handle, const char* key, const void* data, std::size_t length,
                         std::uint32_t flags, hf_error* err) {
        return run(err, [&] {
            get_(handle).put(checked_key(key), std::span(static_cast<const std::byte*>(data), length), flags);
        });
    }
    static hf_status get(hf_storage* handle, const char* key, std::uint64_t offset, std::uint64_t length,
                         hf_bytes_callback callback, void* context, hf_error* err) {
        return run(err, [&] {
            get_(handle).get(checked_key(key), offset, length, [&](std::span<const std::byte> piece) {
                hf_status s = callback(context, piece.data(), piece.size());
                if (s != HF_OK) throw host_stopped{s};
            });
        });
    }
    static hf_status list(hf_storage* handle, const char* prefix, hf_object_callback callback, void* context,
                          hf_error* err) {
        return run(err, [&] {
            get_(handle).list(prefix != nullptr ? prefix : "", [&](const std::string& key, const object_info& info) {
                hf_object_info c{sizeof(hf_object_info), 0, info.size, info.modified_unix_ns};
                hf_status s = callback(context, key.c_str(), &c);
                if (s != HF_OK) throw host_stopped{s};
            });
        });
    }
    static hf_status stat(hf_storage* handle, const char* key, hf_object_info* info, hf_error* err) {
        return run(err, [&] {
            auto found = get_(handle).stat(checked_key(key));
            if (!found) throw error(HF_ERR_NOT_FOUND, "no object '" + std::string(key) + "'");
            if (info != nullptr && HF_HAS_FIELD(info, hf_object_info, size)) info->size = found->size;
            if (info != nullptr && HF_HAS_FIELD(info, hf_object_info, modified_unix_ns))
                info->modified_unix_ns = found->modified_unix_ns;
        });
    }
    static hf_status remove(hf_storage* handle, const char* key, hf_error* err) {
        return run(err, [&] { get_(handle).remove(checked_key(key)); });
    }

    static constexpr bool has_initialize = requires(host_services h) { Storage::initialize(h); };
    static hf_status init_entry(const hf_init_args* args, hf_error* err) {
        if constexpr (has_initialize) return guarded(err, [&] { Storage::initialize(host_services(init_host(args))); });
        else return HF_OK;
    }

    static const hf_storage_functions* functions(std::uint64_t features) {
        static const hf_storage_functions table = {
            sizeof(hf_storage_functions), 0, features, &open, &close, &put, &get, &list, &stat, &remove,
        };
        return &table;
    }
};

}  // namespace detail
}  // namespace holdfast::plugin

// Define the plugin's exported entry point for storage class `StorageClass`.
// FEATURES is a bitwise OR of HF_STORAGE_FEATURE_* values.
#define HOLDFAST_STORAGE_PLUGIN(StorageClass, NAME, VERSION, FEATURES)                              \
    extern "C" HF_EXPORT const hf_plugin_descriptor* hf_plugin_entry(void) {                        \
        using adapter = ::holdfast::plugin::detail::storage_adapter<StorageClass>;                  \
        static const hf_plugin_descriptor descriptor = {                                            \
            sizeof(hf_plugin_descriptor), HF_PLUGIN_MAGIC, HF_ABI_VERSION_MAJOR, HF_ABI_VERSION_MINOR, \
            HF_PLUGIN_KIND_STORAGE, NAME, VERSION, &adapter::init_entry, adapter::functions(FEATURES)}; \
        return &descriptor;                                                                         \
    }
