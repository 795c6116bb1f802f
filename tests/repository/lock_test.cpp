// Locks: leases with a heartbeat.
#include "repository_fixture.hpp"

#include "repository/errors.hpp"
#include "repository/local_identity.hpp"
#include "repository/repository_lock.hpp"

#include <unistd.h>

#include <thread>

namespace holdfast::repository::testing {
namespace {

using namespace std::chrono_literals;
using lock_test = repository_test;

const lock_timing quick{.refresh_interval = 50ms, .stale_after = 2s};
// A holder whose heartbeat never comes within the test, so its lock goes stale quickly.
const lock_timing frozen{.refresh_interval = 1h, .stale_after = 150ms};

std::string conflict_message(const repo& r, lock_kind kind, const lock_timing& timing = quick) {
    try {
        repository_lock::acquire(r, kind, "holdfast test", timing);
    } catch (const lock_conflict_error& e) {
        EXPECT_EQ(e.code(), exit_code::locked);
        return e.what();
    }
    return "(acquired)";
}

TEST_F(lock_test, SharedLocksCoexistAndExclusiveWaits) {
    repo r = init();
    {
        auto first = repository_lock::acquire(r, lock_kind::shared, "holdfast backup", quick);
        auto second = repository_lock::acquire(r, lock_kind::shared, "holdfast check", quick);
        EXPECT_EQ(objects("locks/").size(), 2u);

        const std::string message = conflict_message(r, lock_kind::exclusive);
        const local_identity me = local_identity::current();
        EXPECT_TRUE(message.starts_with("the repository at " + location() + " is in use: shared lock of 'holdfast "))
            << message;
        EXPECT_NE(message.find("pid " + std::to_string(me.pid) + " on host " + me.host), std::string::npos)
            << message;
        EXPECT_NE(message.find("(and 1 more)"), std::string::npos) << message;
        EXPECT_NE(message.find("try again when it has finished"), std::string::npos) << message;
        // The refused locker left nothing behind.
        EXPECT_EQ(objects("locks/").size(), 2u);
    }
    // Released on destruction.
    EXPECT_TRUE(objects("locks/").empty());
    auto exclusive = repository_lock::acquire(r, lock_kind::exclusive, "holdfast prune", quick);
    const std::string message = conflict_message(r, lock_kind::shared);
    EXPECT_TRUE(message.starts_with("the repository at " + location() +
                                    " is locked: exclusive lock of 'holdfast prune'"))
        << message;
    EXPECT_EQ(conflict_message(r, lock_kind::exclusive).find("is locked: exclusive lock"),
              conflict_message(r, lock_kind::exclusive).find("is locked: exclusive lock"));
}

TEST_F(lock_test, HeartbeatRewritesTheLock) {
    repo r = init();
    auto lock = repository_lock::acquire(r, lock_kind::shared, "holdfast backup", quick);
    const object_id first = lock.id();
    std::this_thread::sleep_for(300ms);
    EXPECT_NE(lock.id(), first);
    // New object written, old one deleted: one lock at any time.
    EXPECT_EQ(objects("locks/"), std::set<std::string>{"locks/" + lock.id().hex()});
    EXPECT_NO_THROW(lock.check());
    lock.release();
    EXPECT_TRUE(objects("locks/").empty());
    lock.release();  // idempotent
}

TEST_F(lock_test, StaleLocksAreIgnoredBySharedLockersAndRemovedByUnlock) {
    repo r = init();
    auto stale_holder = repository_lock::acquire(r, lock_kind::exclusive, "holdfast prune", frozen);
    std::this_thread::sleep_for(300ms);
    // The holder notices it has lost its lease.
    try {
        stale_holder.check();
        FAIL();
    } catch (const repository_error& e) {
        EXPECT_NE(std::string(e.what()).find("lost the lock"), std::string::npos) << e.what();
    }

    // A shared locker reports and ignores it...
    {
        auto shared = repository_lock::acquire(r, lock_kind::shared, "holdfast backup", frozen);
    }
    // ...an exclusive one refuses, saying how to clear it.
    const std::string message = conflict_message(r, lock_kind::exclusive, frozen);
    EXPECT_TRUE(message.starts_with("the repository at " + location() +
                                    " has a stale exclusive lock of 'holdfast prune'"))
        << message;
    EXPECT_NE(message.find("remove the lock with 'holdfast unlock'"), std::string::npos);

    // unlock removes the stale lock and keeps live ones.
    // (Its heartbeat keeps it fresh, even by the 150 ms standard.)
    auto live = repository_lock::acquire(r, lock_kind::shared, "holdfast check",
                                         {.refresh_interval = 20ms, .stale_after = 150ms});
    const auto result = remove_locks(r, false, frozen);
    ASSERT_EQ(result.removed.size(), 1u);
    EXPECT_EQ(result.removed[0].command, "holdfast prune");
    EXPECT_TRUE(result.removed[0].exclusive);
    ASSERT_EQ(result.kept.size(), 1u);
    EXPECT_EQ(result.kept[0].command, "holdfast check");
    EXPECT_EQ(objects("locks/").size(), 1u);

    // With force, every lock goes.
    EXPECT_EQ(remove_locks(r, true, frozen).removed.size(), 1u);
    EXPECT_TRUE(objects("locks/").empty());
}

TEST_F(lock_test, UnreadableLockCountsAsExclusive) {
    repo r = init();
    r.storage().put("locks/" + std::string(64, 'b'), bytes_of("not a lock"));
    const std::string message = conflict_message(r, lock_kind::shared);
    EXPECT_NE(message.find("unreadable lock object locks/bbbb"), std::string::npos) << message;
    const auto locks = list_locks(r);
    ASSERT_EQ(locks.size(), 1u);
    EXPECT_FALSE(locks[0].readable);
}

}  // namespace
}  // namespace holdfast::repository::testing
