#include "core/cancellation.hpp"

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace holdfast {
namespace {

std::atomic<int> signals_seen{0};

extern "C" void on_stop_signal(int) {
    // Only async-signal-safe work here: bump the counter, or leave at once.
    if (signals_seen.fetch_add(1) >= 1) _exit(130);
}

}  // namespace

void install_cancellation_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool cancellation_requested() noexcept { return signals_seen.load() > 0; }
void request_cancellation() noexcept { signals_seen.store(1); }
void reset_cancellation() noexcept { signals_seen.store(0); }

}  // namespace holdfast
