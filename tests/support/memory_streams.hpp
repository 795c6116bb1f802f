// In-memory backup target and restore origin for tests: a backup goes into a
// memory_target (streams by name, metadata, and whether each stream was
// committed or abandoned); a memory_origin serves streams back to a restore or
// verify. Distinct streams may be written or read from different threads.
//
//   holdfast::testing::memory_target target;
//   engine.backup("{}", target);
//   auto origin = holdfast::testing::memory_origin::from(target);
//   engine.restore("{}", origin);
#pragma once

#include <holdfast/client/engine.hpp>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace holdfast::testing {

using bytes = std::vector<std::byte>;

inline bytes to_bytes(std::string_view text) {
    const auto* p = reinterpret_cast<const std::byte*>(text.data());
    return bytes(p, p + text.size());
}

inline std::string to_string(const bytes& data) {
    return std::string(reinterpret_cast<const char*>(data.data()), data.size());
}

class memory_target : public client::backup_target {
public:
    enum class state { open, committed, abandoned };

    memory_target() = default;
    // Movable, so a helper can return a finished backup. Writers still open
    // keep writing into the moved-to target (they share the stream records).
    memory_target(memory_target&& other) noexcept {
        std::lock_guard lock(other.mutex_);
        take(other);
    }
    memory_target& operator=(memory_target&& other) noexcept {
        if (this != &other) {
            std::scoped_lock lock(mutex_, other.mutex_);
            take(other);
        }
        return *this;
    }

    struct stream {
        std::string name;
        bytes data;
        state status = state::open;
    };

    // Streams begun from now on fail (HF_ERR_NO_SPACE) once they would grow
    // past `limit` bytes: to test an engine's handling of a sink error.
    void fail_writes_after(std::size_t limit) {
        std::lock_guard lock(mutex_);
        write_limit_ = limit;
    }

    std::unique_ptr<client::stream_writer> begin_stream(const std::string& name) override {
        std::lock_guard lock(mutex_);
        for (const auto& r : records_)
            if (r->name == name)
                throw client::plugin_error(HF_ERR_INVALID_ARGUMENT, "stream '" + name + "' was already begun");
        records_.push_back(std::make_shared<record>(name));
        return std::make_unique<writer>(records_.back(), write_limit_);
    }

    void set_metadata(const std::string& json) override {
        std::lock_guard lock(mutex_);
        metadata_ = json;
    }

    // ---- what the test inspects (copies: safe while a backup still runs) ----

    std::string metadata() const {
        std::lock_guard lock(mutex_);
        return metadata_;
    }
    // Names in the order they were begun.
    std::vector<std::string> names() const {
        std::lock_guard lock(mutex_);
        std::vector<std::string> out;
        for (const auto& r : records_) out.push_back(r->name);
        return out;
    }
    std::optional<stream> find(std::string_view name) const {
        std::lock_guard lock(mutex_);
        for (const auto& r : records_)
            if (r->name == name) return r->snapshot();
        return std::nullopt;
    }
    // The data of a stream (empty when there is none).
    bytes data(std::string_view name) const {
        auto s = find(name);
        return s ? s->data : bytes{};
    }
    bool committed(std::string_view name) const {
        auto s = find(name);
        return s && s->status == state::committed;
    }
    bool abandoned(std::string_view name) const {
        auto s = find(name);
        return s && s->status == state::abandoned;
    }
    std::vector<stream> streams() const {
        std::lock_guard lock(mutex_);
        std::vector<stream> out;
        for (const auto& r : records_) out.push_back(r->snapshot());
        return out;
    }

private:
    // One stream as it is being written; its own lock lets distinct streams be
    // written concurrently while a test inspects them.
    struct record {
        explicit record(std::string n) : name(std::move(n)) {}
        const std::string name;
        mutable std::mutex mutex;
        bytes data;
        state status = state::open;

        stream snapshot() const {
            std::lock_guard lock(mutex);
            return stream{name, data, status};
        }
    };

    class writer : public client::stream_writer {
    public:
        writer(std::shared_ptr<record> target, std::optional<std::size_t> limit)
            : record_(std::move(target)), limit_(limit) {}
        void write(std::span<const std::byte> data) override {
            std::lock_guard lock(record_->mutex);
            if (record_->status != state::open)
                throw client::plugin_error(HF_ERR_INVALID_ARGUMENT, "write after the stream was finished");
            if (limit_ && record_->data.size() + data.size() > *limit_)
                throw client::plugin_error(HF_ERR_NO_SPACE, "test target: no space left");
            record_->data.insert(record_->data.end(), data.begin(), data.end());
        }
        void finish(bool commit) override {
            std::lock_guard lock(record_->mutex);
            if (record_->status != state::open)
                throw client::plugin_error(HF_ERR_INVALID_ARGUMENT, "stream finished twice");
            record_->status = commit ? state::committed : state::abandoned;
        }

    private:
        std::shared_ptr<record> record_;
        std::optional<std::size_t> limit_;
    };

    void take(memory_target& other) noexcept {
        records_ = std::move(other.records_);
        metadata_ = std::move(other.metadata_);
        write_limit_ = other.write_limit_;
    }

    mutable std::mutex mutex_;  // guards records_, metadata_, write_limit_
    std::vector<std::shared_ptr<record>> records_;
    std::string metadata_ = "{}";
    std::optional<std::size_t> write_limit_;
};

class memory_origin : public client::restore_origin {
public:
    memory_origin() = default;
    explicit memory_origin(std::string metadata_json) : metadata_(std::move(metadata_json)) {}
    memory_origin(memory_origin&& other) noexcept {
        std::lock_guard lock(other.mutex_);
        take(other);
    }
    memory_origin& operator=(memory_origin&& other) noexcept {
        if (this != &other) {
            std::scoped_lock lock(mutex_, other.mutex_);
            take(other);
        }
        return *this;
    }

    // The committed streams and the metadata of a finished backup.
    static memory_origin from(const memory_target& target) {
        memory_origin origin(target.metadata());
        for (const auto& s : target.streams())
            if (s.status == memory_target::state::committed) origin.add(s.name, s.data);
        return origin;
    }

    memory_origin& add(std::string name, bytes data) {
        std::lock_guard lock(mutex_);
        streams_.emplace_back(std::move(name), std::make_shared<const bytes>(std::move(data)));
        return *this;
    }
    memory_origin& set_metadata(std::string json) {
        metadata_ = std::move(json);
        return *this;
    }
    // Serve at most `n` bytes per read, to exercise short reads.
    memory_origin& max_read(std::size_t n) {
        max_read_ = std::max<std::size_t>(n, 1);
        return *this;
    }
    // Replace a stream's content (e.g. with corrupted bytes).
    memory_origin& replace(const std::string& name, bytes data) {
        std::lock_guard lock(mutex_);
        for (auto& [n, d] : streams_)
            if (n == name) d = std::make_shared<const bytes>(std::move(data));
        return *this;
    }

    const std::string& metadata_json() const override { return metadata_; }

    std::vector<client::stream_entry> streams() override {
        std::lock_guard lock(mutex_);
        std::vector<client::stream_entry> out;
        for (const auto& [name, data] : streams_) out.push_back({name, data->size()});
        return out;
    }

    std::unique_ptr<client::stream_reader> open(const std::string& name) override {
        std::lock_guard lock(mutex_);
        for (const auto& [n, data] : streams_)
            if (n == name) return std::make_unique<reader>(data, max_read_);
        throw client::plugin_error(HF_ERR_NOT_FOUND, "no stream '" + name + "' in this test origin");
    }

private:
    // Holds its own reference to the data: readers are independent of each
    // other and of later replace() calls.
    class reader : public client::stream_reader {
    public:
        reader(std::shared_ptr<const bytes> data, std::size_t max_read) : data_(std::move(data)), max_read_(max_read) {}
        std::size_t read(std::span<std::byte> buffer) override {
            std::size_t n = std::min({buffer.size(), data_->size() - offset_, max_read_});
            std::copy_n(data_->begin() + static_cast<std::ptrdiff_t>(offset_), n, buffer.begin());
            offset_ += n;
            return n;
        }

    private:
        std::shared_ptr<const bytes> data_;
        std::size_t offset_ = 0;
        std::size_t max_read_;
    };

    void take(memory_origin& other) noexcept {
        metadata_ = std::move(other.metadata_);
        streams_ = std::move(other.streams_);
        max_read_ = other.max_read_;
    }

    std::string metadata_ = "{}";
    mutable std::mutex mutex_;  // guards streams_
    std::vector<std::pair<std::string, std::shared_ptr<const bytes>>> streams_;
    std::size_t max_read_ = static_cast<std::size_t>(-1);
};

}  // namespace holdfast::testing
