// The commented example configuration printed by `holdfast config example`:
// examples/holdfast.yaml, compiled in at build time so the two never differ.
#pragma once

#include <string_view>

namespace holdfast::config {

std::string_view example_config();

}  // namespace holdfast::config
