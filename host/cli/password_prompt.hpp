// Asking for a password on the terminal: from /dev/tty with echo off, so it
// never shows on screen or in a scrollback, and a redirected stdin (a dump
// being piped in, say) is never consumed as a password.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace holdfast::cli {

// True when standard input is a terminal: only then do commands prompt.
bool stdin_is_terminal() noexcept;

// Shows `prompt` on the terminal and reads one line with echo off. With
// `confirm`, asks again and throws usage_error when the two differ. Throws
// holdfast::error when the terminal cannot be used or the input ends, and when
// interrupted (SIGINT), leaving the terminal as it was in every case.
std::string prompt_password(std::string_view prompt, bool confirm);

}  // namespace holdfast::cli
