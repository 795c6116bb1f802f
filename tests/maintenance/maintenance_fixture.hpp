// Repositories with real snapshots for the maintenance tests: streams cut into blobs of
// varying sizes, stored through blob_store and content_list_builder, saved as snapshots;
// and reading a snapshot's streams back to compare them bit for bit.
#pragma once

#include "repository_fixture.hpp"

#include "repository/object_id.hpp"
#include "repository/repository.hpp"
#include "repository/utc_time.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace holdfast::maintenance::testing {

using repository::object_id;
using repository::repo;
using repository::utc_time;

using stream_bytes = std::vector<std::byte>;

struct snapshot_spec {
    std::string source = "app";
    utc_time time{};
    std::vector<std::string> tags{};
    // Stream name -> content.
    std::map<std::string, stream_bytes> streams{};
    // Blob size for cutting (varied +-50% per blob); small values give long content lists.
    std::size_t blob_size = 3000;
};

// Stores the streams (flushing the store) and saves the snapshot.
object_id make_snapshot(repo& r, const snapshot_spec& spec);

// Every stream of the snapshot, read back through the index.
std::map<std::string, stream_bytes> read_streams(const repo& r, const object_id& snapshot);

// 2026-11-21T12:00:00Z plus `hours`.
utc_time at_hour(long hours);

// Sum of the sizes of every object under `prefix`.
std::uint64_t stored_bytes(client::storage_instance& storage, const std::string& prefix);

// Bytes: `size` of `base` with the range [from, from + count) replaced by other random bytes,
// so two versions share everything but that range.
stream_bytes edited(const stream_bytes& base, std::size_t from, std::size_t count, std::uint64_t seed);

}  // namespace holdfast::maintenance::testing
