#include "maintenance/pack_rewriter.hpp"

#include "repository/object_names.hpp"

namespace holdfast::maintenance {

void pack_rewriter::add(const repository::blob_record& record, std::span<const std::byte> stored) {
    open_.add(record.id, record.type, record.compression, record.plain_length, stored);
    if (open_.size() >= repo_.config().parameters.pack_size) upload();
}

void pack_rewriter::finish() {
    if (!open_.empty()) upload();
}

void pack_rewriter::upload() {
    repository::finished_pack pack = open_.finish(seal_);
    repo_.storage().put(repository::names::pack(pack.id), pack.bytes);
    bytes_ += pack.bytes.size();
    packs_.push_back(pack.id);
    // Indexed only after the upload: packs -> index, as everywhere.
    index_.add({pack.id, std::move(pack.records)});
}

}  // namespace holdfast::maintenance
