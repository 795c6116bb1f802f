// Starting a configured command: find its program, check its working
// directory, hand it the configured environment.
#pragma once

#include "child_process.hpp"
#include "command.hpp"
#include "settings.hpp"

namespace holdfast::engines::exec {

enum class purpose { backup, restore };

// backup: stdin is /dev/null, stdout and stderr are separate pipes.
// restore: stdin is a pipe; stdout and stderr share one pipe (both go to the tail).
child_process launch(const command& cmd, const settings& config, purpose why);

}  // namespace holdfast::engines::exec
