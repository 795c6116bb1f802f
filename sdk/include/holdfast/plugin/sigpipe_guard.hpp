// Writing into a pipe whose reader has gone raises SIGPIPE, which would kill the whole
// host. While a guard lives, SIGPIPE is blocked in this thread (the signal goes to the
// writing thread), so write() fails with EPIPE instead; on destruction a SIGPIPE our
// writes left pending is consumed, then the old mask is restored. Use one around every
// write to a child's stdin. Header-only; never throws.
#pragma once

#include <pthread.h>
#include <signal.h>

#include <ctime>

namespace holdfast::plugin {

class sigpipe_guard {
public:
    sigpipe_guard() noexcept {
        const sigset_t pipe = only_sigpipe();
        sigset_t pending;
        sigemptyset(&pending);
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &pipe, &previous_mask_);
    }
    sigpipe_guard(const sigpipe_guard&) = delete;
    sigpipe_guard& operator=(const sigpipe_guard&) = delete;
    ~sigpipe_guard() {
        if (!was_pending_) {
            const sigset_t pipe = only_sigpipe();
            const timespec no_wait{0, 0};
            while (sigtimedwait(&pipe, nullptr, &no_wait) == SIGPIPE) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
    }

private:
    static sigset_t only_sigpipe() noexcept {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        return set;
    }

    sigset_t previous_mask_{};
    bool was_pending_ = false;  // pending before us: not ours to consume
};

}  // namespace holdfast::plugin
