#include "pipeline/chunked_stream.hpp"

#include "pipeline/backup_sink.hpp"
#include "pipeline/interruption.hpp"

#include <chrono>

namespace holdfast::pipeline {

chunked_stream::chunked_stream(backup_sink& sink, blob_writer& writer, repository::blob_store& store,
                               const repository::chunker_params& chunks, std::size_t slot, std::string name,
                               std::shared_ptr<const repository::delta_references> references)
    : sink_(sink),
      writer_(writer),
      slot_(slot),
      name_(std::move(name)),
      list_(store),
      sketches_(store),
      references_(std::move(references)),
      chunks_(chunks, [this](std::span<const std::byte> chunk, const repository::chunk_sketch& sketch) {
          submit(chunk, sketch);
      }) {}

void chunked_stream::write(std::span<const std::byte> data) {
    if (finished_) throw client::plugin_error(HF_ERR_INVALID_ARGUMENT, "write to finished stream '" + name_ + "'");
    throw_if_cancelled();
    writer_.throw_if_failed();  // stop early: the backup cannot succeed any more
    hash_.update(data);
    size_ += data.size();
    chunks_.write(data);
    sink_.bytes_written(data.size());
}

void chunked_stream::submit(std::span<const std::byte> chunk, const repository::chunk_sketch& sketch) {
    collect(false);  // keeps the queue short: only ids of finished chunks wait in it
    pending_.push_back(writer_.store(chunk, sketch, references_));
    sketches_.append(sketch);  // in content order, like the ids
}

void chunked_stream::collect(bool all) {
    using namespace std::chrono_literals;
    while (!pending_.empty()) {
        if (pending_.front().wait_for(0s) != std::future_status::ready) {
            if (!all) break;
            // Waiting for the workers, which run at a lower priority: store queued chunks
            // here instead, until the rest are in their hands.
            if (writer_.help()) continue;
        }
        // get() rethrows what the worker threw (storage failure, ...).
        const repository::object_id id = pending_.front().get();
        pending_.pop_front();
        list_.append(id);
    }
}

void chunked_stream::finish(bool commit) {
    if (finished_) return;
    finished_ = true;
    if (!commit) {
        // Chunks still queued are harmless: they end up in packs no snapshot refers to,
        // which the next backup reuses.
        sink_.stream_abandoned(slot_);
        return;
    }
    chunks_.finish();
    collect(true);
    repository::stream_entry entry;
    entry.name = name_;
    entry.size = size_;
    entry.checksum = hash_.finish();
    list_.finish(entry);
    sketches_.finish(entry);
    sink_.stream_done(slot_, std::move(entry));
}

}  // namespace holdfast::pipeline
