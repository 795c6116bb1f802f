// Builds the new packs of a repack: blobs are appended exactly as stored (a stored blob is
// sealed with its id as associated data, so it does not depend on its pack or offset: no
// re-encryption, no recompression), and each full pack is uploaded and handed to the
// index writer. Memory: the pack being built.
#pragma once

#include "maintenance/index_batch_writer.hpp"
#include "repository/object_id.hpp"
#include "repository/pack_format.hpp"
#include "repository/pack_writer.hpp"
#include "repository/repository.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace holdfast::maintenance {

class pack_rewriter {
public:
    pack_rewriter(repository::repo& repository, repository::sealer& seal, index_batch_writer& index)
        : repo_(repository), seal_(seal), index_(index) {}

    // `stored` must already be verified: prune never copies damage into a new pack.
    void add(const repository::blob_record& record, std::span<const std::byte> stored);
    // Uploads the last, partly filled pack.
    void finish();

    const std::vector<repository::object_id>& packs() const noexcept { return packs_; }
    std::uint64_t bytes_written() const noexcept { return bytes_; }

private:
    void upload();

    repository::repo& repo_;
    repository::sealer& seal_;
    index_batch_writer& index_;
    repository::pack_writer open_;
    std::vector<repository::object_id> packs_;
    std::uint64_t bytes_ = 0;
};

}  // namespace holdfast::maintenance
