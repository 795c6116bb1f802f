// The host side of the SDK tests: host services that record what a plugin
// does with them, and a backup kept in memory that is both the target of a
// backup and the origin of a restore. Also used by tests/third-party.
#pragma once

#include <holdfast/client/engine.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace holdfast::testing {

inline std::string to_string(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// hf_host_services backed by this object. Not movable: services.context is `this`.
class recording_host {
public:
    recording_host() = default;
    recording_host(const recording_host&) = delete;
    recording_host& operator=(const recording_host&) = delete;

    const hf_host_services* services() const { return &services_; }

    std::vector<std::pair<hf_log_level, std::string>> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    bool logged(hf_log_level level, const std::string& message) const {
        for (const auto& [l, m] : lines())
            if (l == level && m == message) return true;
        return false;
    }
    std::uint64_t last_progress() const { return progress_; }
    void cancel() { cancelled_ = true; }

private:
    static recording_host& self(void* context) { return *static_cast<recording_host*>(context); }
    static void log(void* context, hf_log_level level, const char* message) {
        std::lock_guard lock(self(context).mutex_);
        self(context).lines_.emplace_back(level, message);
    }
    static void progress(void* context, const char* /*phase*/, std::uint64_t done, std::uint64_t /*total*/) {
        self(context).progress_ = done;
    }
    static std::int32_t cancelled(void* context) { return self(context).cancelled_ ? 1 : 0; }

    mutable std::mutex mutex_;
    std::vector<std::pair<hf_log_level, std::string>> lines_;
    std::atomic<std::uint64_t> progress_ = 0;
    std::atomic<bool> cancelled_ = false;
    hf_host_services services_{sizeof(hf_host_services), this, &log, &progress, &cancelled};
};

// A backup held in memory: what the repository would be in the real host.
class memory_backup : public client::backup_target, public client::restore_origin {
public:
    struct stream {
        std::string data;
        bool finished = false;
        bool committed = false;
    };

    // Fault injection: called before every write; may throw.
    std::function<void(const std::string& name)> before_write;
    // Whether its readers offer seek (ABI 1.2); false plays a host without it.
    bool seekable = true;

    // backup_target
    std::unique_ptr<client::stream_writer> begin_stream(const std::string& name) override {
        std::lock_guard lock(mutex_);
        if (streams_.contains(name)) throw client::plugin_error(HF_ERR_ALREADY_EXISTS, "stream '" + name + "' exists");
        streams_[name];
        order_.push_back(name);
        return std::make_unique<writer>(*this, name);
    }
    void set_metadata(const std::string& json) override {
        std::lock_guard lock(mutex_);
        metadata_ = json;
    }

    // restore_origin
    const std::string& metadata_json() const override { return metadata_; }
    std::vector<client::stream_entry> streams() override {
        std::lock_guard lock(mutex_);
        std::vector<client::stream_entry> out;
        for (const auto& name : order_)
            if (streams_.at(name).committed) out.push_back({name, streams_.at(name).data.size()});
        return out;
    }
    std::unique_ptr<client::stream_reader> open(const std::string& name) override {
        std::lock_guard lock(mutex_);
        auto it = streams_.find(name);
        if (it == streams_.end() || !it->second.committed)
            throw client::plugin_error(HF_ERR_NOT_FOUND, "no stream '" + name + "' in this backup");
        return std::make_unique<reader>(it->second.data);
    }
    bool can_seek() const override { return seekable; }

    // Inspection, and preparing a restore by hand.
    stream get(const std::string& name) const {
        std::lock_guard lock(mutex_);
        auto it = streams_.find(name);
        return it == streams_.end() ? stream{} : it->second;
    }
    bool has(const std::string& name) const {
        std::lock_guard lock(mutex_);
        return streams_.contains(name);
    }
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return streams_.size();
    }
    void add(const std::string& name, std::string data) {
        std::lock_guard lock(mutex_);
        if (!streams_.contains(name)) order_.push_back(name);
        streams_[name] = {std::move(data), true, true};
    }

private:
    class writer : public client::stream_writer {
    public:
        writer(memory_backup& owner, std::string name) : owner_(owner), name_(std::move(name)) {}
        void write(std::span<const std::byte> data) override {
            if (owner_.before_write) owner_.before_write(name_);
            std::lock_guard lock(owner_.mutex_);
            owner_.streams_[name_].data += to_string(data);
        }
        void finish(bool commit) override {
            std::lock_guard lock(owner_.mutex_);
            auto& s = owner_.streams_[name_];
            s.finished = true;
            s.committed = commit;
        }

    private:
        memory_backup& owner_;
        std::string name_;
    };

    class reader : public client::stream_reader {
    public:
        explicit reader(std::string data) : data_(std::move(data)) {}
        std::size_t read(std::span<std::byte> buffer) override {
            const std::size_t n = std::min(buffer.size(), data_.size() - at_);
            if (n > 0) std::memcpy(buffer.data(), data_.data() + at_, n);
            at_ += n;
            return n;
        }
        void seek(std::uint64_t offset) override {
            if (offset > data_.size())
                throw client::plugin_error(HF_ERR_INVALID_ARGUMENT, "offset " + std::to_string(offset) +
                                                                        " is past the end of a " +
                                                                        std::to_string(data_.size()) + "-byte stream");
            at_ = static_cast<std::size_t>(offset);
        }

    private:
        std::string data_;
        std::size_t at_ = 0;
    };

    mutable std::mutex mutex_;
    std::map<std::string, stream> streams_;
    std::vector<std::string> order_;
    std::string metadata_ = "{}";
};

}  // namespace holdfast::testing
