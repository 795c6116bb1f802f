// Writes index objects for prune in batches: one object per `records_per_object` blob
// records, so a repository of any size is re-indexed with bounded memory.
#pragma once

#include "repository/index_file.hpp"
#include "repository/object_id.hpp"
#include "repository/sealer.hpp"

#include <holdfast/client/storage.hpp>

#include <cstddef>
#include <vector>

namespace holdfast::maintenance {

class index_batch_writer {
public:
    index_batch_writer(client::storage_instance& storage, repository::sealer& seal,
                       std::size_t records_per_object)
        : storage_(storage), seal_(seal), limit_(records_per_object == 0 ? 1 : records_per_object) {}

    // Writes an index object once the batch holds enough records.
    void add(repository::indexed_pack pack);
    // Writes what is left.
    void finish();

    // Every index object written so far.
    const std::vector<repository::object_id>& written() const noexcept { return written_; }

private:
    void write();

    client::storage_instance& storage_;
    repository::sealer& seal_;
    std::size_t limit_;
    std::vector<repository::indexed_pack> batch_;
    std::size_t records_ = 0;
    std::vector<repository::object_id> written_;
};

}  // namespace holdfast::maintenance
