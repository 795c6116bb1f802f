// ${VAR} interpolation of configuration values, so one file can serve several
// hosts and keep secrets out of the file itself.
//
//   ${NAME}           the value of environment variable NAME; an error when unset
//   ${NAME:-default}  NAME's value, or `default` when NAME is unset or empty
//   $$                a literal $
//
// Any other `$` is an error rather than text, so a shell-style `$HOME` cannot
// silently end up in a path.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace holdfast::config {

// Why a value cannot be interpolated. The message names a variable at most,
// never the text itself (which may be a secret).
class interpolation_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Expand `text` against the process environment. Throws interpolation_error.
std::string interpolate(std::string_view text);

}  // namespace holdfast::config
