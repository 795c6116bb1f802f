// One backup from start to snapshot: the engine writes its streams into a backup_sink
// (chunking on the engine's threads, storing on the worker pool), then the blob store is
// flushed (packs, then index) and only then the snapshot document is saved. Any failure,
// an abandoned stream or an interruption leaves no snapshot; packs already uploaded stay
// and are reused by the next backup (orphan recovery).
//
// The repository is locked, its index loaded and orphan packs recovered, by the time the
// engine first writes (repository_when_ready).
#pragma once

#include "repository/blob_store.hpp"
#include "repository/object_id.hpp"
#include "repository/repository.hpp"
#include "repository/snapshot.hpp"

#include <holdfast/client/engine.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace holdfast::progress {
class reporter;
}

namespace holdfast::pipeline {

// Niceness the workers add to the engine's: the lowest priority there is. They still get
// every CPU cycle nothing else wants, and the writing thread takes over when they lag
// (blob_writer.hpp).
inline constexpr int default_worker_nice = 19;

struct backup_request {
    std::string source;          // as recorded in the snapshot (a config name, or a URL)
    std::string engine;          // the engine plugin's name
    std::string engine_version;  // its version, from the manifest
    std::vector<std::string> tags;
    std::size_t threads = 0;       // workers; 0: one per core
    std::size_t budget_bytes = 0;  // chunk bytes in flight; 0: default_budget()
    int worker_nice = default_worker_nice;  // added to the workers' niceness, 0 to 19
    // Called about once a second from the writing threads and before the snapshot is
    // saved: check the lock there (repository_lock::check throws when it was lost).
    std::function<void()> checkpoint;
    progress::reporter* progress = nullptr;
};

struct backup_outcome {
    repository::object_id id;
    repository::snapshot snapshot;
    repository::blob_store_stats stats;
    std::size_t peak_bytes_in_flight = 0;
};

// The repository a backup writes into, made ready while the engine starts: returns it once
// it is open, locked, its index loaded and orphan packs recovered, or throws what stopped
// that (each time it is called). Called from the engine's threads.
using repository_when_ready = std::function<repository::repo&()>;

// `produce` runs the engine's backup into the target it is given (engine_instance::backup).
// The engine runs at once; its first write waits for `repository`. When the engine fails
// and the repository could not be made ready, the repository's error is the one thrown.
backup_outcome run_backup(const repository_when_ready& repository, const backup_request& request,
                          const std::function<void(client::backup_target&)>& produce);
// With a repository that is ready already.
backup_outcome run_backup(repository::repo& repository, const backup_request& request,
                          const std::function<void(client::backup_target&)>& produce);

}  // namespace holdfast::pipeline
