#include "repository/repository_lock.hpp"

#include "repository/crypto.hpp"
#include "repository/errors.hpp"
#include "repository/local_identity.hpp"
#include "repository/object_names.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

namespace holdfast::repository {

using nlohmann::json;

namespace {

std::span<const std::byte> bytes_of(const std::string& text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

lock_info parse_lock(const object_id& id, const std::vector<std::byte>& bytes,
                     std::int64_t modified_unix_ns) {
    lock_info info;
    info.id = id;
    const json doc = json::parse(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), nullptr, false);
    try {
        if (!doc.is_object()) throw std::invalid_argument("not a JSON object");
        info.exclusive = doc.at("exclusive").get<bool>();
        info.host = doc.at("host").get<std::string>();
        info.pid = doc.at("pid").get<std::int64_t>();
        info.user = doc.value("user", "");
        info.command = doc.value("command", "");
        const auto created = parse_utc(doc.at("created").get<std::string>());
        const auto refreshed = parse_utc(doc.at("refreshed").get<std::string>());
        if (!created || !refreshed) throw std::invalid_argument("bad time");
        info.created = *created;
        info.refreshed = *refreshed;
    } catch (const std::exception&) {
        // Not a lock we can read: assume the worst kind, aged by when it was written.
        info = lock_info{};
        info.id = id;
        info.readable = false;
        info.exclusive = true;
        info.refreshed = utc_time(std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::nanoseconds(modified_unix_ns)));
        info.created = info.refreshed;
    }
    return info;
}

// All locks; `complete` turns false when one vanished between the listing and its read (a
// holder refreshing it), so the caller can list again rather than miss the holder.
std::vector<lock_info> read_locks(client::storage_instance& storage, bool& complete) {
    std::vector<client::object_info> listed;
    storage.list(std::string(names::locks_prefix),
                 [&](const client::object_info& info) { listed.push_back(info); });
    std::vector<lock_info> locks;
    complete = true;
    for (const auto& object : listed) {
        const auto id = names::id_under(names::locks_prefix, object.key);
        if (!id) continue;
        std::vector<std::byte> bytes;
        try {
            bytes = storage.get(object.key);
        } catch (const client::plugin_error& e) {
            if (e.code() != HF_ERR_NOT_FOUND) throw;
            complete = false;
            continue;
        }
        locks.push_back(parse_lock(*id, bytes, object.modified_unix_ns));
    }
    return locks;
}

std::vector<lock_info> read_locks_consistently(client::storage_instance& storage) {
    bool complete = false;
    std::vector<lock_info> locks;
    for (int attempt = 0; attempt < 5 && !complete; ++attempt) locks = read_locks(storage, complete);
    return locks;
}

}  // namespace

std::string lock_info::describe(utc_time now) const {
    if (!readable)
        return "unreadable lock object " + names::lock(id) + " (written " + describe_age(age(now)) +
               " ago)";
    return std::string(exclusive ? "exclusive" : "shared") + " lock of '" + command + "' (pid " +
           std::to_string(pid) + " on host " + host + (user.empty() ? "" : ", user " + user) +
           ", taken " + describe_age(now - created) + " ago, refreshed " + describe_age(age(now)) +
           " ago)";
}

struct repository_lock::state {
    std::shared_ptr<client::storage_instance> storage;
    std::string location;
    lock_timing timing;
    json document;  // everything but "refreshed" and "nonce"

    mutable std::mutex mutex;
    std::condition_variable_any wake;
    object_id current;
    bool held = false;
    utc_time last_refresh{};
    std::string last_error;
    std::jthread heartbeat;

    // Writes a fresh lock object and returns its id.
    object_id write() {
        json doc = document;
        const utc_time now = utc_now();
        doc["refreshed"] = format_utc(now);
        // Two refreshes in one microsecond must still make two objects.
        doc["nonce"] = to_hex(random_bytes(8));
        const std::string text = doc.dump();
        const object_id id = object_id::of_content(bytes_of(text));
        storage->put(names::lock(id), bytes_of(text));
        std::lock_guard lock(mutex);
        last_refresh = now;
        return id;
    }

    void remove(const object_id& id) noexcept {
        try {
            storage->remove(names::lock(id));
        } catch (const std::exception& e) {
            spdlog::warn("could not delete lock {}: {} (it will go stale)", names::lock(id), e.what());
        }
    }

    void refresh() {
        try {
            const object_id fresh = write();
            object_id old;
            {
                std::lock_guard lock(mutex);
                old = std::exchange(current, fresh);
                last_error.clear();
            }
            remove(old);
        } catch (const std::exception& e) {
            spdlog::warn("could not refresh the lock on {}: {}", location, e.what());
            std::lock_guard lock(mutex);
            last_error = e.what();
        }
    }

    void run(std::stop_token stop) {
        for (;;) {
            {
                std::unique_lock lock(mutex);
                wake.wait_for(lock, stop, timing.refresh_interval, [] { return false; });
            }
            if (stop.stop_requested()) return;
            refresh();
        }
    }
};

repository_lock::repository_lock(std::unique_ptr<state> s) : state_(std::move(s)) {}
repository_lock::repository_lock(repository_lock&&) noexcept = default;
repository_lock& repository_lock::operator=(repository_lock&& other) noexcept {
    if (this != &other) {
        release();
        state_ = std::move(other.state_);
    }
    return *this;
}
repository_lock::~repository_lock() { release(); }

repository_lock repository_lock::acquire(const repo& repository, lock_kind kind, std::string command,
                                         const lock_timing& timing) {
    auto s = std::make_unique<state>();
    s->storage = repository.shared_storage();
    s->location = repository.location();
    s->timing = timing;
    const local_identity who = local_identity::current();
    const bool exclusive = kind == lock_kind::exclusive;
    s->document = {{"exclusive", exclusive}, {"host", who.host},         {"pid", who.pid},
                   {"user", who.user},       {"command", command}, {"created", format_utc(utc_now())}};
    s->current = s->write();
    s->held = true;

    try {
        const utc_time now = utc_now();
        std::vector<lock_info> live;
        std::vector<lock_info> stale;
        for (lock_info& other : read_locks_consistently(*s->storage)) {
            if (other.id == s->current) continue;
            if (!exclusive && !other.exclusive) continue;  // shared locks coexist
            if (!other.stale(now, timing))
                live.push_back(std::move(other));
            else if (exclusive)
                stale.push_back(std::move(other));
            else
                spdlog::warn("ignoring stale {} on {}; remove it with 'holdfast unlock'",
                             other.describe(now), s->location);
        }
        const auto more = [](const std::vector<lock_info>& locks) {
            return locks.size() > 1 ? " (and " + std::to_string(locks.size() - 1) + " more)" : "";
        };
        if (!live.empty())
            throw lock_conflict_error("the repository at " + s->location + " is " +
                                      (live.front().exclusive ? "locked" : "in use") + ": " +
                                      live.front().describe(now) + more(live) +
                                      "; try again when it has finished");
        if (!stale.empty())
            throw lock_conflict_error("the repository at " + s->location + " has a stale " +
                                      stale.front().describe(now) + more(stale) +
                                      "; if that process is gone, remove the lock with "
                                      "'holdfast unlock'");
    } catch (...) {
        s->remove(s->current);
        throw;
    }
    state* raw = s.get();
    s->heartbeat = std::jthread([raw](std::stop_token stop) { raw->run(stop); });
    return repository_lock(std::move(s));
}

void repository_lock::release() noexcept {
    if (!state_) return;
    if (state_->heartbeat.joinable()) {
        state_->heartbeat.request_stop();
        state_->heartbeat.join();
    }
    if (state_->held) {
        state_->held = false;
        state_->remove(state_->current);
    }
}

object_id repository_lock::id() const {
    if (!state_) throw std::logic_error("repository_lock::id on a moved-from lock");
    std::lock_guard lock(state_->mutex);
    return state_->current;
}

void repository_lock::check() const {
    if (!state_) throw std::logic_error("repository_lock::check on a moved-from lock");
    std::lock_guard lock(state_->mutex);
    if (!state_->held) throw repository_error("the lock on " + state_->location + " was released");
    const auto since = utc_now() - state_->last_refresh;
    if (since > state_->timing.stale_after)
        throw repository_error("lost the lock on the repository at " + state_->location +
                               ": it could not be refreshed for " + describe_age(since) + " (" +
                               state_->last_error +
                               "); stopping, since another process may now change the repository");
}

std::vector<lock_info> list_locks(const repo& repository) {
    return read_locks_consistently(repository.storage());
}

unlock_result remove_locks(const repo& repository, bool all, const lock_timing& timing) {
    unlock_result result;
    const utc_time now = utc_now();
    for (lock_info& lock : list_locks(repository)) {
        if (all || lock.stale(now, timing)) {
            repository.storage().remove(names::lock(lock.id));
            result.removed.push_back(std::move(lock));
        } else {
            result.kept.push_back(std::move(lock));
        }
    }
    return result;
}

}  // namespace holdfast::repository
