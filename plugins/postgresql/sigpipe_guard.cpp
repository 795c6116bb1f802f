#include "sigpipe_guard.hpp"

#include <pthread.h>

#include <ctime>

namespace holdfast::engines::postgresql {

namespace {
sigset_t only_sigpipe() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    return set;
}
}  // namespace

sigpipe_guard::sigpipe_guard() {
    const sigset_t pipe = only_sigpipe();
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe, &previous_mask_);
}

sigpipe_guard::~sigpipe_guard() {
    if (!was_pending_) {
        const sigset_t pipe = only_sigpipe();
        const timespec no_wait{0, 0};
        while (sigtimedwait(&pipe, nullptr, &no_wait) == SIGPIPE) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

}  // namespace holdfast::engines::postgresql
