// Loading a plugin library with Boost.DLL and checking, step by step, that it
// is the plugin its manifest describes. Each failed check becomes one line
// saying what is wrong. Every call into plugin code is wrapped in
// try/catch(...): the SDK's guarded() should already stop exceptions at the
// plugin's edge, but a plugin written against the raw C ABI has no such guard.
#include "plugins/loaded_plugin.hpp"

#include <boost/dll/shared_library.hpp>
#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <system_error>

namespace holdfast::plugins {
namespace {

namespace fs = std::filesystem;

// Sizes of the structs as ABI 1.0 defined them. A plugin built against a newer
// minor may declare more; one built against an older minor never less.
constexpr std::size_t descriptor_min_size = offsetof(hf_plugin_descriptor, functions) + sizeof(void*);
// Tables must reach at least the last required function; the optional ones
// after it (verify, detect, and clone since 1.1) may be missing.
constexpr std::size_t engine_table_min_size =
    offsetof(hf_engine_functions, restore) + sizeof(hf_engine_functions::restore);
constexpr std::size_t storage_table_min_size =
    offsetof(hf_storage_functions, remove) + sizeof(hf_storage_functions::remove);

std::string abi_text(int major, int minor) { return std::to_string(major) + "." + std::to_string(minor); }
const std::string host_abi = abi_text(HF_ABI_VERSION_MAJOR, HF_ABI_VERSION_MINOR);

// Text written by the plugin, made safe to print as part of one line: bounded,
// NUL-terminated or not, control characters flattened.
std::string plugin_text(const char* text, std::size_t max) {
    if (text == nullptr) return "(null)";
    std::string out(text, strnlen(text, max));
    std::replace_if(out.begin(), out.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }, ' ');
    return out;
}

std::string kind_text(hf_plugin_kind kind) {
    if (kind == HF_PLUGIN_KIND_ENGINE) return "an engine";
    if (kind == HF_PLUGIN_KIND_STORAGE) return "a storage";
    return "an unknown kind (" + std::to_string(kind) + ") of";
}

hf_plugin_kind to_abi(plugin_kind kind) {
    return kind == plugin_kind::engine ? HF_PLUGIN_KIND_ENGINE : HF_PLUGIN_KIND_STORAGE;
}

std::string exception_text(const std::exception_ptr& thrown) {
    try {
        std::rethrow_exception(thrown);
    } catch (const std::exception& e) {
        return plugin_text(e.what(), 512);
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

// Run one call into plugin code; a C++ exception becomes a load_error.
template <typename Call>
auto call_plugin(std::string_view what, Call&& call) {
    std::exception_ptr thrown;
    try {
        return call();
    } catch (...) {
        thrown = std::current_exception();
    }
    throw load_error(std::string(what) + " threw a C++ exception across the C ABI: " + exception_text(thrown));
}

// Checks the function table of `descriptor` for its kind; "" when usable.
std::string check_functions(const hf_plugin_descriptor& descriptor) {
    if (descriptor.functions == nullptr) return "the plugin's function table is NULL";
    const char* table = descriptor.kind == HF_PLUGIN_KIND_ENGINE ? "engine" : "storage";
    std::size_t needed = descriptor.kind == HF_PLUGIN_KIND_ENGINE ? engine_table_min_size : storage_table_min_size;
    // Every table begins with its struct_size.
    std::uint32_t size = *static_cast<const std::uint32_t*>(descriptor.functions);
    if (size < needed)
        return std::string("the plugin's ") + table + " function table is too small (" + std::to_string(size) +
               " bytes; the required functions need " + std::to_string(needed) + ")";

    std::string missing;
    auto require = [&](const void* function, const char* name) {
        if (function == nullptr && missing.empty()) missing = name;
    };
    if (descriptor.kind == HF_PLUGIN_KIND_ENGINE) {
        const auto& f = *static_cast<const hf_engine_functions*>(descriptor.functions);
        require(reinterpret_cast<const void*>(f.open), "open");
        require(reinterpret_cast<const void*>(f.close), "close");
        require(reinterpret_cast<const void*>(f.probe), "probe");
        require(reinterpret_cast<const void*>(f.backup), "backup");
        require(reinterpret_cast<const void*>(f.restore), "restore");
    } else {
        const auto& f = *static_cast<const hf_storage_functions*>(descriptor.functions);
        require(reinterpret_cast<const void*>(f.open), "open");
        require(reinterpret_cast<const void*>(f.close), "close");
        require(reinterpret_cast<const void*>(f.put), "put");
        require(reinterpret_cast<const void*>(f.get), "get");
        require(reinterpret_cast<const void*>(f.list), "list");
        require(reinterpret_cast<const void*>(f.stat), "stat");
        require(reinterpret_cast<const void*>(f.remove), "remove");
    }
    if (!missing.empty()) return std::string("required function \"") + missing + "\" is NULL in the plugin's " + table +
                                 " function table";
    return {};
}

// Checks that need only the library, not the manifest; "" when usable.
std::string check_descriptor(const hf_plugin_descriptor* d) {
    if (d == nullptr) return "hf_plugin_entry returned NULL";
    if (d->struct_size < descriptor_min_size)
        return "the plugin descriptor is too small (" + std::to_string(d->struct_size) + " bytes; ABI " +
               abi_text(HF_ABI_VERSION_MAJOR, 0) + " needs at least " + std::to_string(descriptor_min_size) + ")";
    if (d->magic != HF_PLUGIN_MAGIC) {
        std::ostringstream text;
        text << "wrong magic 0x" << std::hex << d->magic << " in the plugin descriptor (expected 0x" << HF_PLUGIN_MAGIC
             << ", \"HFPL\"): not a holdfast plugin";
        return text.str();
    }
    if (d->abi_major != HF_ABI_VERSION_MAJOR)
        return "ABI major version mismatch: the library was built for ABI " + abi_text(d->abi_major, d->abi_minor) +
               ", this host speaks ABI " + host_abi;
    if (d->kind != HF_PLUGIN_KIND_ENGINE && d->kind != HF_PLUGIN_KIND_STORAGE)
        return "unknown plugin kind " + std::to_string(d->kind) + " in the plugin descriptor";
    return check_functions(*d);
}

// Checks of the library against its manifest; "" when they agree.
std::string check_against_manifest(const hf_plugin_descriptor& d, const manifest& m) {
    if (d.abi_major != m.abi_major || d.abi_minor != m.abi_minor)
        return "the manifest says abi_version " + abi_text(m.abi_major, m.abi_minor) +
               " but the library was built for ABI " + abi_text(d.abi_major, d.abi_minor);
    std::string name = plugin_text(d.name, 256);
    if (d.name == nullptr || name != m.name)
        return "the library's plugin name \"" + name + "\" differs from the manifest's \"" + m.name + "\"";
    if (d.kind != to_abi(m.kind))
        return "the library is " + kind_text(d.kind) + " plugin but the manifest says kind \"" +
               std::string(to_string(m.kind)) + "\"";
    return {};
}

// One library file, opened once per process.
struct library_record {
    boost::dll::shared_library library;
    const hf_plugin_descriptor* descriptor = nullptr;
    std::string failure;                    // set when the library itself is unusable
    std::unique_ptr<loaded_plugin> plugin;  // created just before init; kept even when init fails
    std::string init_failure;               // set when init failed
};

struct registry {
    std::mutex mutex;
    std::map<fs::path, std::unique_ptr<library_record>> libraries;
};

registry& the_registry() {
    // Never destroyed, on purpose: destroying it would unload the libraries
    // at exit while plugin threads or handles may still use them.
    static registry& instance = *new registry;
    return instance;
}

library_record open_library(const fs::path& path) {
    library_record record;
    boost::dll::fs::error_code ec;
    record.library.load(path, ec, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (ec) {
        // Boost reports only a generic error code; dlerror() has the reason
        // (a missing dependency, an undefined symbol, a wrong architecture).
        const char* why = ::dlerror();
        throw load_error("cannot load the library: " +
                         (why != nullptr ? plugin_text(why, 1024) : path.string() + ": " + ec.message()));
    }
    if (!record.library.has(HF_PLUGIN_ENTRY_SYMBOL)) {
        record.failure = "the library does not export " HF_PLUGIN_ENTRY_SYMBOL
                         " (not a holdfast plugin, or built without the SDK's export macro)";
        return record;
    }
    auto& entry = record.library.get<std::remove_pointer_t<hf_plugin_entry_fn>>(HF_PLUGIN_ENTRY_SYMBOL);
    try {
        record.descriptor = call_plugin(HF_PLUGIN_ENTRY_SYMBOL, [&] { return entry(); });
        record.failure = check_descriptor(record.descriptor);
    } catch (const load_error& e) {
        record.failure = e.what();
    }
    return record;
}

// The reason init failed; "" when it succeeded.
std::string run_init(const hf_plugin_descriptor& d, const loaded_plugin& plugin) {
    if (d.init == nullptr) return {};
    hf_init_args args{};
    args.struct_size = sizeof(args);
    args.abi_major = HF_ABI_VERSION_MAJOR;
    args.abi_minor = plugin.abi_minor();
    args.host = plugin.services();
    hf_error error{};
    error.struct_size = sizeof(error);
    try {
        hf_status status = call_plugin("init", [&] { return d.init(&args, &error); });
        if (status == HF_OK) return {};
        std::string message = plugin_text(error.message, sizeof(error.message));
        if (message.empty()) message = "status " + std::to_string(status) + " without a message";
        return "init failed: " + message;
    } catch (const load_error& e) {
        return e.what();
    }
}

}  // namespace

loaded_plugin::loaded_plugin(key, std::string_view name, plugin_kind kind, std::filesystem::path library,
                             std::uint16_t abi_minor, const void* functions)
    : kind_(kind), library_(std::move(library)), abi_minor_(abi_minor), services_(name) {
    // Copy no more than either side knows; what the plugin lacks stays NULL.
    auto copy = [&](auto& table) {
        std::size_t size = std::min<std::size_t>(*static_cast<const std::uint32_t*>(functions), sizeof(table));
        std::memcpy(&table, functions, size);
        table.struct_size = sizeof(table);
    };
    if (kind == plugin_kind::engine) {
        auto& table = functions_.emplace<hf_engine_functions>();
        copy(table);
        // What a minor newer than the one in use added does not exist for this plugin,
        // whatever its table holds (abi.h: each side uses only the negotiated minor).
        if (abi_minor_ < 1) table.clone = nullptr;
    } else {
        copy(functions_.emplace<hf_storage_functions>());
    }
}

const hf_engine_functions& loaded_plugin::engine_functions() const {
    if (const auto* table = std::get_if<hf_engine_functions>(&functions_)) return *table;
    throw std::logic_error("plugin " + name() + " is not an engine");
}

const hf_storage_functions& loaded_plugin::storage_functions() const {
    if (const auto* table = std::get_if<hf_storage_functions>(&functions_)) return *table;
    throw std::logic_error("plugin " + name() + " is not a storage plugin");
}

const loaded_plugin& loaded_plugin::load(const manifest& m) {
    // Refuse before running any of the library's code (its static constructors
    // run when it is opened) when the manifest already says it cannot work.
    if (m.abi_major != HF_ABI_VERSION_MAJOR)
        throw load_error("ABI major version mismatch: the manifest declares ABI " + abi_text(m.abi_major, m.abi_minor) +
                         ", this host speaks ABI " + host_abi);
    std::error_code ec;
    if (!fs::exists(m.library, ec)) throw load_error("library not found: " + m.library.string());
    fs::path identity = fs::canonical(m.library, ec);
    if (ec) identity = m.library;

    registry& reg = the_registry();
    std::lock_guard lock(reg.mutex);
    auto it = reg.libraries.find(identity);
    if (it == reg.libraries.end())
        it = reg.libraries.emplace(identity, std::make_unique<library_record>(open_library(m.library))).first;
    library_record& record = *it->second;

    if (!record.failure.empty()) throw load_error(record.failure);
    const hf_plugin_descriptor& d = *record.descriptor;
    if (auto mismatch = check_against_manifest(d, m); !mismatch.empty()) throw load_error(mismatch);

    if (record.plugin == nullptr) {
        auto minor = std::min<std::uint16_t>(HF_ABI_VERSION_MINOR, d.abi_minor);
        record.plugin = std::make_unique<loaded_plugin>(key{}, m.name, m.kind, m.library, minor, d.functions);
        record.init_failure = run_init(d, *record.plugin);
    }
    if (!record.init_failure.empty()) throw load_error(record.init_failure);
    return *record.plugin;
}

}  // namespace holdfast::plugins
