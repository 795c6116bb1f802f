#include "maintenance/used_blobs.hpp"

#include "core/cancellation.hpp"
#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/snapshots.hpp"
#include "repository/stream_content.hpp"

#include <algorithm>

namespace holdfast::maintenance {

using namespace repository;

used_blobs collect_used_blobs(const repo& repository, std::span<const object_id> ignore) {
    std::vector<object_id> skipped(ignore.begin(), ignore.end());
    std::sort(skipped.begin(), skipped.end());
    used_blobs out;
    // Used blobs are indexed blobs, so this size is never exceeded: no rehashing.
    out.blobs.reserve(repository.index().blob_count());
    for (const object_id& id : list_snapshot_ids(repository)) {
        if (std::binary_search(skipped.begin(), skipped.end(), id)) continue;
        if (cancellation_requested()) throw error("prune interrupted", exit_code::interrupted);
        snapshot snap;
        try {
            snap = load_snapshot(repository, id);
        } catch (const repository_error& e) {
            throw repository_error(std::string("prune cannot tell which blobs ") + names::snapshot(id) +
                                   " uses, so it changed nothing: " + e.what());
        }
        ++out.snapshots;
        const auto use = [&](const object_id& blob) {
            if (!out.blobs.insert(blob)) return;
            if (!repository.index().contains(blob))
                throw repository_error(names::snapshot(id) + " uses blob " + blob.hex() +
                                       ", which no index lists in an existing pack; prune changed "
                                       "nothing; run 'holdfast check'");
        };
        for (const stream_entry& stream : snap.streams) {
            for (const object_id& list : stream.content_lists) use(list);
            try {
                for_each_content_blob(repository, stream, use);
            } catch (const corruption_error& e) {
                throw repository_error(std::string("prune cannot read a content list of ") +
                                       names::snapshot(id) + ", so it changed nothing: " + e.what());
            }
        }
    }
    return out;
}

}  // namespace holdfast::maintenance
