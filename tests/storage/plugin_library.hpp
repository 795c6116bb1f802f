// Loading a storage plugin library straight from its file, checked the way the
// host's catalog checks it, for tests that must not depend on the catalog.
#pragma once

#include <holdfast/abi.h>
#include <holdfast/storage.h>

#include <atomic>
#include <filesystem>

namespace holdfast::testing {

// Host services for tests: logs at WARN and above go to stderr; the
// cancellation flag is off unless a test raises it.
class test_host {
public:
    test_host();
    test_host(const test_host&) = delete;
    test_host& operator=(const test_host&) = delete;

    const hf_host_services* services() const noexcept { return &services_; }
    void cancel(bool on) noexcept { cancelled_ = on; }

private:
    static std::int32_t is_cancelled(void* context);

    hf_host_services services_{};
    std::atomic<bool> cancelled_ = false;  // read from plugin threads
};

// A loaded storage plugin. Libraries are loaded once per file, with
// rtld_now | rtld_local, and stay loaded until the process exits, as in the host.
struct storage_plugin {
    const hf_plugin_descriptor* descriptor = nullptr;
    const hf_storage_functions* functions = nullptr;
};

// Load, check (magic, sizes, ABI major, kind, function table) and initialise
// the plugin in `library`. Throws std::runtime_error naming the file and the
// reason.
const storage_plugin& load_storage_plugin(const std::filesystem::path& library);

}  // namespace holdfast::testing
