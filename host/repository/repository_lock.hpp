// Locks (locks/<id>): leases with a heartbeat. backup, restore and check take a shared lock,
// prune an exclusive one. Taking a lock: write ours, list locks/, and if a live conflicting
// lock exists delete ours and fail (exit 4) naming the holder. The holder rewrites its lock
// (new object, then delete the old one) every refresh interval; a lock not refreshed within
// the stale timeout is stale: shared lockers report and ignore stale locks, an exclusive
// locker refuses them until 'holdfast unlock' removes them.
#pragma once

#include "repository/object_id.hpp"
#include "repository/repository.hpp"
#include "repository/utc_time.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace holdfast::repository {

enum class lock_kind { shared, exclusive };

struct lock_timing {
    std::chrono::milliseconds refresh_interval{std::chrono::seconds(60)};
    std::chrono::milliseconds stale_after{std::chrono::minutes(5)};
};

struct lock_info {
    object_id id;
    bool readable = true;  // false: not a lock document; treated as an exclusive lock
    bool exclusive = false;
    std::string host;
    std::string user;
    std::string command;
    std::int64_t pid = 0;
    utc_time created{};
    utc_time refreshed{};  // for an unreadable lock: when the object was written

    std::chrono::microseconds age(utc_time now) const { return now - refreshed; }
    bool stale(utc_time now, const lock_timing& timing) const { return age(now) > timing.stale_after; }
    // "exclusive lock of 'holdfast prune' (pid 4242 on host db1, user root, refreshed 12s ago)"
    std::string describe(utc_time now) const;
};

class repository_lock {
public:
    // Throws lock_conflict_error (exit 4) naming the holder of a conflicting lock.
    // `command` says what holds the lock ("holdfast backup"). The lock shares ownership of
    // the repo's storage, so its heartbeat never outlives the storage handle.
    static repository_lock acquire(const repo& repository, lock_kind kind, std::string command,
                                   const lock_timing& timing = {});

    repository_lock(repository_lock&&) noexcept;
    repository_lock& operator=(repository_lock&&) noexcept;
    // Stops the heartbeat and deletes the lock.
    ~repository_lock();

    // As the destructor, now; idempotent. Failure to delete is logged, not thrown: the
    // lock then goes stale and `holdfast unlock` removes it.
    void release() noexcept;

    // The current lock object (changes with every refresh).
    object_id id() const;

    // Throws repository_error if the heartbeat has failed to refresh the lock for longer
    // than the stale timeout: another process may then have taken the repository over, so
    // the caller must stop writing.
    void check() const;

private:
    struct state;
    explicit repository_lock(std::unique_ptr<state> s);
    std::unique_ptr<state> state_;
};

// Every lock in the repository.
std::vector<lock_info> list_locks(const repo& repository);

struct unlock_result {
    std::vector<lock_info> removed;
    std::vector<lock_info> kept;  // live locks, left alone
};

// `holdfast unlock`: removes stale locks, or every lock when `all` (only safe when no
// holdfast process uses the repository).
unlock_result remove_locks(const repo& repository, bool all, const lock_timing& timing = {});

}  // namespace holdfast::repository
