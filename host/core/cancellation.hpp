// Process-wide cancellation: SIGINT/SIGTERM set a flag that long operations
// (and plugins, through hf_host_services.cancelled) poll, so they stop cleanly
// instead of dying mid-write.
#pragma once

namespace holdfast {

// Install the SIGINT/SIGTERM handlers. A second signal of either kind ends the
// process at once with exit code 130.
void install_cancellation_handlers();

// True once a stop was requested.
bool cancellation_requested() noexcept;

// For tests: request or clear a stop as if a signal had arrived.
void request_cancellation() noexcept;
void reset_cancellation() noexcept;

}  // namespace holdfast
