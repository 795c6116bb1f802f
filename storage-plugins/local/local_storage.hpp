// The local storage plugin: objects as files below a root directory.
#pragma once

#include "root_directory.hpp"

#include <holdfast/plugin/storage.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace holdfast::local {

// One open repository directory. Safe to use from several threads at once:
// every operation works on its own descriptors.
class local_storage final : public plugin::storage {
public:
    local_storage(std::string_view settings_json, plugin::host_services host);

    void put(const std::string& key, std::span<const std::byte> data, std::uint32_t flags) override;
    void get(const std::string& key, std::uint64_t offset, std::uint64_t length,
             const plugin::bytes_callback& out) override;
    void list(const std::string& prefix, const plugin::object_callback& each) override;
    std::optional<plugin::object_info> stat(const std::string& key) override;
    void remove(const std::string& key) override;

private:
    plugin::host_services host_;
    root_directory root_;
};

}  // namespace holdfast::local
