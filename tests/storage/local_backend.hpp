// The local plugin as a storage_contract backend: a fresh temporary directory
// per test.
#pragma once

#include "plugin_library.hpp"
#include "storage_contract.hpp"

#include <filesystem>
#include <string>

namespace holdfast::testing {

// A directory under $TMPDIR, removed with its contents on destruction.
class temp_directory {
public:
    temp_directory();
    temp_directory(const temp_directory&) = delete;
    temp_directory& operator=(const temp_directory&) = delete;
    ~temp_directory();
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

// The plugin built in this tree (HOLDFAST_LOCAL_PLUGIN, set by CMake).
const storage_plugin& local_plugin();

// {"path": <root>, "create": <create>} as JSON text.
std::string local_settings(const std::filesystem::path& root, bool create = false);

class local_backend : public storage_backend {
public:
    local_backend() = default;
    client::storage_instance open() override { return open_with(local_settings(root())); }
    client::storage_instance open_with(const std::string& settings_json) {
        return client::storage_instance(local_plugin().functions, settings_json, host_.services());
    }
    const std::filesystem::path& root() const noexcept { return dir_.path(); }
    test_host& host() noexcept { return host_; }

private:
    temp_directory dir_;
    test_host host_;
};

}  // namespace holdfast::testing
