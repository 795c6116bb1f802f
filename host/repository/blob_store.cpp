#include "repository/blob_store.hpp"

#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/pack_reader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>

namespace holdfast::repository {

blob_store::blob_store(repo& repository, blob_store_options options)
    : repo_(repository),
      options_(options),
      target_(repository.config().parameters.pack_size),
      // The largest blob we expect (a chunk, or a list blob of 512 KiB) plus room for the
      // header: packs then never reallocate while they fill.
      reserve_slack_(std::max<std::size_t>(repository.config().parameters.chunk_max, 512 * 1024) +
                     64 * 1024) {
    if (options_.max_uploads == 0) options_.max_uploads = 1;
    if (options_.packs_per_index == 0) options_.packs_per_index = 1;
}

blob_store::~blob_store() {
    std::unique_lock lock(mutex_);
    // Workers must be gone by now; an upload still running would use freed members.
    changed_.wait(lock, [&] { return uploading_ == 0 && in_flight_.empty(); });
    if (!open_pack_.empty() || !unindexed_.empty())
        spdlog::debug("blob store closed without flush: {} blobs not written, {} packs not indexed",
                      open_pack_.count(), unindexed_.size());
}

void blob_store::throw_if_failed() const {
    if (!failure_.empty())
        throw repository_error("writing to the repository at " + repo_.location() +
                               " failed earlier: " + failure_);
}

void blob_store::fail_and_rethrow(std::unique_lock<std::mutex>& lock) {
    if (!lock.owns_lock()) lock.lock();
    if (failure_.empty()) {
        try {
            throw;
        } catch (const std::exception& e) {
            failure_ = e.what();
        } catch (...) {
            failure_ = "unknown error";
        }
    }
    changed_.notify_all();
    lock.unlock();
    throw;
}

std::optional<blob_location> blob_store::locate(const object_id& id) const {
    std::lock_guard lock(mutex_);
    return repo_.index().find(id);
}

std::shared_ptr<const std::vector<std::byte>> blob_store::base_plain(blob_codec& codec, const object_id& id,
                                                                     const blob_location& location) {
    {
        std::lock_guard lock(base_cache_mutex_);
        for (auto it = base_cache_.begin(); it != base_cache_.end(); ++it)
            if (it->first == id) {
                base_cache_.splice(base_cache_.begin(), base_cache_, it);
                return it->second;
            }
    }
    std::shared_ptr<const std::vector<std::byte>> plain;
    try {
        plain = std::make_shared<const std::vector<std::byte>>(
            read_blob(repo_.storage(), codec, location.pack, location.record, {}));
    } catch (const repository_error& e) {
        spdlog::warn("blob {} is not used as a delta base: {}", id.hex(), e.what());
        return nullptr;
    }
    std::lock_guard lock(base_cache_mutex_);
    base_cache_.emplace_front(id, plain);
    if (base_cache_.size() > base_cache_entries) base_cache_.pop_back();
    return plain;
}

void blob_store::try_delta(blob_codec& codec, const object_id& id, std::span<const std::byte> plain,
                           const base_finder& find_bases, encoded_blob_bytes& encoded) {
    // A candidate that is a delta itself stands aside for its own bases: a read then needs
    // one level of bases at most.
    std::vector<std::pair<object_id, blob_location>> chosen;
    const auto choose = [&](const object_id& base, const blob_location& location) {
        if (base == id || location.record.type != blob_type::data || chosen.size() == max_delta_bases) return;
        for (const auto& c : chosen)
            if (c.first == base) return;
        chosen.emplace_back(base, location);
    };
    for (const object_id& candidate : find_bases()) {
        const auto location = locate(candidate);
        if (!location) continue;
        if (location->record.compression != blob_encoding::zstd_delta) {
            choose(candidate, *location);
            continue;
        }
        try {
            for (const object_id& base : read_delta_bases(repo_.storage(), codec, location->pack, location->record))
                if (const auto base_location = locate(base)) choose(base, *base_location);
        } catch (const repository_error& e) {
            spdlog::warn("blob {} is not used to find delta bases: {}", candidate.hex(), e.what());
        }
    }
    std::vector<std::shared_ptr<const std::vector<std::byte>>> held;
    std::vector<delta_base> bases;
    std::size_t total = 0;
    for (const auto& [base, location] : chosen) {
        if (total + location.record.plain_length > max_delta_base_bytes) break;
        auto bytes = base_plain(codec, base, location);
        if (!bytes) continue;
        total += bytes->size();
        bases.push_back({base, *bytes});
        held.push_back(std::move(bytes));
    }
    if (bases.empty()) return;
    if (auto delta = codec.encode_delta(id, plain, bases, encoded.stored.size())) encoded = std::move(*delta);
}

blob_store::added blob_store::add(blob_type type, std::span<const std::byte> plain, const base_finder& find_bases) {
    if (plain.size() > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("blob of " + std::to_string(plain.size()) +
                                " bytes: blobs are limited to 4 GiB");
    auto codec = repo_.codecs().borrow();
    const object_id id = codec->id_of(plain);
    std::unique_lock lock(mutex_);
    throw_if_failed();
    if (repo_.index().contains(id) || pending_.contains(id) || !in_flight_.insert(id).second) {
        ++stats_.blobs_known;
        return {id, false};
    }
    lock.unlock();

    std::optional<pack_writer> full;
    try {
        encoded_blob_bytes encoded = codec->encode(id, plain);
        if (find_bases) try_delta(*codec, id, plain, find_bases, encoded);
        lock.lock();
        // A full pack is waiting for an upload slot: nobody appends to it meanwhile, so a
        // pack overshoots its target by one blob at most.
        changed_.wait(lock, [&] { return open_pack_.size() < target_ || !failure_.empty(); });
        throw_if_failed();
        if (open_pack_.empty()) open_pack_.reserve(target_ + reserve_slack_);
        open_pack_.add(id, type, encoded.compression, static_cast<std::uint32_t>(plain.size()),
                       encoded.stored);
        // Pending from now on, so it stops being in flight only once it is findable.
        pending_.insert(id);
        in_flight_.erase(id);
        ++stats_.blobs_new;
        if (encoded.compression == blob_encoding::zstd_delta) ++stats_.blobs_delta;
        stats_.bytes_new += plain.size();
        stats_.bytes_stored_new += encoded.stored.size();
        if (open_pack_.size() >= target_) {
            // Backpressure: with every upload slot busy, wait instead of building more packs.
            changed_.wait(lock, [&] {
                return uploading_ < options_.max_uploads || !failure_.empty();
            });
            throw_if_failed();
            // Someone (a concurrent flush) may have taken it meanwhile.
            if (open_pack_.size() >= target_) {
                full.emplace(std::move(open_pack_));
                open_pack_ = pack_writer();
                ++uploading_;
                changed_.notify_all();
            }
        }
        if (in_flight_.empty()) changed_.notify_all();
        lock.unlock();
    } catch (...) {
        if (!lock.owns_lock()) lock.lock();
        in_flight_.erase(id);
        fail_and_rethrow(lock);
    }
    if (full) upload(std::move(*full), *codec);
    return {id, true};
}

// Runs with uploading_ already counting this pack.
void blob_store::upload(pack_writer full, blob_codec& codec) {
    std::unique_lock lock(mutex_, std::defer_lock);
    bool counted = true;
    try {
        finished_pack pack = full.finish(codec.objects());
        repo_.storage().put(names::pack(pack.id), pack.bytes);
        pack.bytes = {};

        std::vector<indexed_pack> to_index;
        lock.lock();
        repo_.index().add_pack(pack.id, pack.records);
        for (const blob_record& record : pack.records) pending_.erase(record.id);
        unindexed_.push_back({pack.id, std::move(pack.records)});
        --uploading_;
        counted = false;
        ++stats_.packs_written;
        if (unindexed_.size() >= options_.packs_per_index) to_index = std::exchange(unindexed_, {});
        changed_.notify_all();
        lock.unlock();

        if (!to_index.empty()) {
            write_index(repo_.storage(), codec.objects(), to_index);
            lock.lock();
            ++stats_.indexes_written;
            lock.unlock();
        }
    } catch (...) {
        if (!lock.owns_lock()) lock.lock();
        if (counted) --uploading_;
        fail_and_rethrow(lock);
    }
}

bool blob_store::contains(const object_id& id) const {
    std::lock_guard lock(mutex_);
    return repo_.index().contains(id) || pending_.contains(id) || in_flight_.contains(id);
}

void blob_store::flush() {
    auto codec = repo_.codecs().borrow();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] {
        return (in_flight_.empty() && uploading_ == 0) || !failure_.empty();
    });
    throw_if_failed();
    if (!open_pack_.empty()) {
        pack_writer last = std::move(open_pack_);
        open_pack_ = pack_writer();
        ++uploading_;
        lock.unlock();
        upload(std::move(last), *codec);
        lock.lock();
    }
    std::vector<indexed_pack> to_index = std::exchange(unindexed_, {});
    lock.unlock();
    if (to_index.empty()) return;
    try {
        write_index(repo_.storage(), codec->objects(), to_index);
    } catch (...) {
        fail_and_rethrow(lock);
    }
    lock.lock();
    ++stats_.indexes_written;
}

blob_store_stats blob_store::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

}  // namespace holdfast::repository
