#include "maintenance_fixture.hpp"

#include "repository/blob_store.hpp"
#include "repository/crypto.hpp"
#include "repository/snapshots.hpp"
#include "repository/stream_content.hpp"
#include "sample_data.hpp"

#include <algorithm>

namespace holdfast::maintenance::testing {

using namespace repository;

object_id make_snapshot(repo& r, const snapshot_spec& spec) {
    snapshot snap;
    snap.time = spec.time;
    snap.host = "test";
    snap.source = spec.source;
    snap.engine = "exec";
    snap.tags = spec.tags;
    {
        blob_store store(r);
        for (const auto& [name, bytes] : spec.streams) {
            content_list_builder list(store);
            // Cut positions depend on the content (a byte of it picks the size), so equal
            // content cuts equally and deduplicates, as with the real chunker.
            for (std::size_t at = 0; at < bytes.size();) {
                const auto pick = std::to_integer<std::size_t>(bytes[at]);
                const std::size_t size = std::min(bytes.size() - at, spec.blob_size / 2 + pick * spec.blob_size / 256);
                list.append(store.add(blob_type::data, std::span(bytes).subspan(at, std::max<std::size_t>(size, 1))).id);
                at += std::max<std::size_t>(size, 1);
            }
            stream_entry entry;
            entry.name = name;
            entry.size = bytes.size();
            entry.checksum = stream_hasher::of(bytes);
            list.finish(entry);
            snap.streams.push_back(std::move(entry));
        }
        store.flush();
    }
    return save_snapshot(r, snap);
}

std::map<std::string, stream_bytes> read_streams(const repo& r, const object_id& snapshot) {
    std::map<std::string, stream_bytes> out;
    for (const stream_entry& stream : load_snapshot(r, snapshot).streams) {
        stream_bytes& bytes = out[stream.name];
        for_each_content_blob(r, stream, [&](const object_id& blob) {
            const auto plain = r.read_blob(blob, blob_type::data);
            bytes.insert(bytes.end(), plain.begin(), plain.end());
        });
    }
    return out;
}

utc_time at_hour(long hours) {
    return *parse_utc("2026-11-21T12:00:00Z") + std::chrono::hours(hours);
}

std::uint64_t stored_bytes(client::storage_instance& storage, const std::string& prefix) {
    std::uint64_t total = 0;
    storage.list(prefix, [&](const client::object_info& info) { total += info.size; });
    return total;
}

stream_bytes edited(const stream_bytes& base, std::size_t from, std::size_t count, std::uint64_t seed) {
    stream_bytes out = base;
    const auto fresh = repository::test_data::random_stream(count, seed);
    std::copy(fresh.begin(), fresh.end(), out.begin() + static_cast<std::ptrdiff_t>(from));
    return out;
}

}  // namespace holdfast::maintenance::testing
