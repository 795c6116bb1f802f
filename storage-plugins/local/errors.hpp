// errno -> hf_status, and one-line error messages in the pgBackRest style:
//   unable to open file '/srv/repo/config' for reading: [13] Permission denied
#pragma once

#include <holdfast/abi.h>

#include <string>
#include <string_view>

namespace holdfast::local {

// The status a failed system call with `err` should surface as.
hf_status status_for_errno(int err) noexcept;

// "<what>: [<err>] <strerror text>".
std::string errno_message(std::string_view what, int err);

// Throw holdfast::plugin::error for a failed system call.
[[noreturn]] void throw_errno(std::string_view what, int err);
[[noreturn]] void throw_errno(hf_status status, std::string_view what, int err);

// "'<text>'": how paths and keys are quoted in every message.
std::string quote(std::string_view text);

}  // namespace holdfast::local
