// One stream of a backup, as the engine writes it (client::stream_writer). On the engine's
// thread: the whole-stream checksum and size as bytes arrive, and the incremental chunker,
// which also gives each chunk's sketch; each chunk goes to the blob_writer's pool. The content list is built in chunk order from
// the futures of the stored chunks (ids are taken strictly in submission order), so the
// workers may finish in any order.
#pragma once

#include "pipeline/blob_writer.hpp"
#include "repository/blob_store.hpp"
#include "repository/chunker.hpp"
#include "repository/stream_checksum.hpp"
#include "repository/object_id.hpp"
#include "repository/stream_content.hpp"

#include <holdfast/client/engine.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <future>
#include <span>
#include <string>

namespace holdfast::pipeline {

class backup_sink;

class chunked_stream final : public client::stream_writer {
public:
    // `references`: the previous snapshot's version of this stream (null: none).
    chunked_stream(backup_sink& sink, blob_writer& writer, repository::blob_store& store,
                   const repository::chunker_params& chunks, std::size_t slot, std::string name,
                   std::shared_ptr<const repository::delta_references> references);

    // Blocks while the workers are behind (the byte budget is spent).
    void write(std::span<const std::byte> data) override;
    void finish(bool commit) override;

private:
    void submit(std::span<const std::byte> chunk, const repository::chunk_sketch& sketch);
    // Moves the ids of stored chunks at the front of the queue into the content list;
    // with `all`, waits for every chunk. Rethrows a worker's exception.
    void collect(bool all);

    backup_sink& sink_;
    blob_writer& writer_;
    std::size_t slot_;
    std::string name_;
    repository::stream_hasher hash_;
    std::uint64_t size_ = 0;
    repository::content_list_builder list_;
    repository::sketch_list_builder sketches_;
    std::shared_ptr<const repository::delta_references> references_;
    std::deque<std::future<repository::object_id>> pending_;
    repository::chunk_stream chunks_;  // after pending_: its sink uses it
    bool finished_ = false;
};

}  // namespace holdfast::pipeline
