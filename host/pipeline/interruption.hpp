// Ctrl-C during a pipeline: the host's cancellation flag (core/cancellation.hpp) turned into
// the error an engine expects from a host callback, so the engine stops as it would for any
// failed write or read, and the command then exits 130.
#pragma once

#include "core/cancellation.hpp"

#include <holdfast/client/common.hpp>

namespace holdfast::pipeline {

inline void throw_if_cancelled() {
    if (holdfast::cancellation_requested())
        throw client::plugin_error(HF_ERR_CANCELLED, "interrupted: stopping at the user's request");
}

}  // namespace holdfast::pipeline
