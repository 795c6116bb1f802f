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
        const auto require = [&](const object_id& blob) {
            if (!out.blobs.insert(blob)) return std::optional<blob_location>();
            auto location = repository.index().find(blob);
            if (!location)
                throw repository_error(names::snapshot(id) + " uses blob " + blob.hex() +
                                       ", which no index lists in an existing pack; prune changed "
                                       "nothing; run 'holdfast check'");
            return location;
        };
        // A delta blob keeps its bases: they are read whenever it is.
        const auto use = [&](const object_id& blob) {
            const auto location = require(blob);
            if (!location || location->record.compression != blob_encoding::zstd_delta) return;
            try {
                for (const object_id& base : repository.delta_bases(blob)) require(base);
            } catch (const corruption_error& e) {
                throw repository_error(std::string("prune cannot tell which bases a delta blob of ") +
                                       names::snapshot(id) + " needs, so it changed nothing: " + e.what());
            }
        };
        for (const stream_entry& stream : snap.streams) {
            for (const object_id& list : stream.content_lists) use(list);
            for (const object_id& sketch : stream.sketch_lists) use(sketch);
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
