// A plugin library that was loaded, checked against its manifest and
// initialised. Libraries are never unloaded: a plugin may leave threads,
// thread-local destructors or atexit handlers behind, and the services handed
// to its init must stay valid until the process exits (abi.h).
#pragma once

#include "plugins/host_services.hpp"
#include "plugins/manifest.hpp"

#include <holdfast/engine.h>
#include <holdfast/storage.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <variant>

namespace holdfast::plugins {

// Why a plugin cannot be loaded: what() is the reason alone, one line,
// without the manifest's name (the catalog adds it).
class load_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class loaded_plugin {
    // Only load() can make the key, so only load() can construct.
    struct key {
        explicit key() = default;
    };

public:
    // Load the library of `m` (once per process: a second call with the same
    // library returns the same object and does not run init again), check its
    // descriptor against the host and against `m`, and run its init. Throws
    // load_error. Call from one thread at a time.
    static const loaded_plugin& load(const manifest& m);

    // Public for std::make_unique, but callable only with load()'s key.
    loaded_plugin(key, std::string_view name, plugin_kind kind, std::filesystem::path library, std::uint16_t abi_minor,
                  const void* functions);
    loaded_plugin(const loaded_plugin&) = delete;
    loaded_plugin& operator=(const loaded_plugin&) = delete;

    const std::string& name() const noexcept { return services_.plugin_name(); }
    plugin_kind kind() const noexcept { return kind_; }
    const std::filesystem::path& library() const noexcept { return library_; }
    // The ABI minor version in use: min(host's, plugin's).
    std::uint16_t abi_minor() const noexcept { return abi_minor_; }
    // The services given to init; pass them to open() as well.
    const hf_host_services* services() const noexcept { return services_.raw(); }

    // The plugin's function table, copied into a struct of the host's size:
    // functions the plugin's (older) table lacks are NULL, so callers may read
    // every field. Throws std::logic_error when called for the other kind.
    const hf_engine_functions& engine_functions() const;
    const hf_storage_functions& storage_functions() const;

private:
    plugin_kind kind_;
    std::filesystem::path library_;
    std::uint16_t abi_minor_;
    plugin_services services_;
    std::variant<hf_engine_functions, hf_storage_functions> functions_;
};

}  // namespace holdfast::plugins
