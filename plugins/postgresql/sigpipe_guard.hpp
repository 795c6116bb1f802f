// Writing into a pipe whose reader has gone raises SIGPIPE, which would kill
// the whole host. While a guard lives, SIGPIPE is blocked in this thread (the
// signal is sent to the writing thread), so write() fails with EPIPE instead;
// on destruction a SIGPIPE our writes left pending is consumed, then the old
// mask is restored.
#pragma once

#include <signal.h>

namespace holdfast::engines::postgresql {

class sigpipe_guard {
public:
    sigpipe_guard();
    sigpipe_guard(const sigpipe_guard&) = delete;
    sigpipe_guard& operator=(const sigpipe_guard&) = delete;
    ~sigpipe_guard();

private:
    sigset_t previous_mask_{};
    bool was_pending_ = false;  // pending before us: not ours to consume
};

}  // namespace holdfast::engines::postgresql
