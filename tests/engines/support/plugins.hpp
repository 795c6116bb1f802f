// The engine plugins of the build tree, found and loaded by the host's own
// catalog (manifest discovery, loading, ABI negotiation), once per process.
#pragma once

#include <holdfast/client/engine.hpp>

#include <string>
#include <string_view>

namespace holdfast::testing {

// Throws when the plugin cannot be found or loaded (the message says why).
const hf_engine_functions& engine_functions(std::string_view name);

// Open a source of engine `name` with `settings_json`, using `host`'s services.
client::engine_instance open_engine(std::string_view name, const std::string& settings_json,
                                    const hf_host_services* host);

}  // namespace holdfast::testing
