// The services the host hands to a plugin (hf_host_services): logging,
// progress and the cancellation check, tagged with the plugin's name.
#pragma once

#include <holdfast/abi.h>

#include <string>
#include <string_view>

namespace holdfast::plugins {

// One plugin's services. The C struct points back at this object, so it is
// neither copied nor moved; it must outlive every use by the plugin (loaded
// plugins keep theirs until the process exits).
class plugin_services {
public:
    explicit plugin_services(std::string_view plugin_name);
    plugin_services(const plugin_services&) = delete;
    plugin_services& operator=(const plugin_services&) = delete;

    const hf_host_services* raw() const noexcept { return &services_; }
    const std::string& plugin_name() const noexcept { return name_; }

private:
    std::string name_;
    hf_host_services services_{};
};

}  // namespace holdfast::plugins
