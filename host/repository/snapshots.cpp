#include "repository/snapshots.hpp"

#include "repository/errors.hpp"
#include "repository/object_names.hpp"
#include "repository/stored_object.hpp"

#include <algorithm>

namespace holdfast::repository {

object_id save_snapshot(repo& repository, const snapshot& snap) {
    const std::string json = snap.to_json();
    auto codec = repository.codecs().borrow();
    const auto sealed = codec->objects().seal(as_bytes(json), aad::snapshot);
    const object_id id = object_id::of_content(sealed);
    repository.storage().put(names::snapshot(id), sealed);
    return id;
}

snapshot load_snapshot(const repo& repository, const object_id& id) {
    const std::string name = names::snapshot(id);
    auto codec = repository.codecs().borrow();
    const auto plain = read_sealed_object(repository.storage(), codec->objects(), name, id, aad::snapshot);
    return snapshot::parse(std::string_view(reinterpret_cast<const char*>(plain.data()), plain.size()),
                           "snapshot " + name);
}

std::vector<object_id> list_snapshot_ids(const repo& repository) {
    return list_object_ids(repository.storage(), names::snapshots_prefix);
}

std::vector<listed_snapshot> list_snapshots(const repo& repository) {
    std::vector<listed_snapshot> out;
    for (const object_id& id : list_snapshot_ids(repository))
        out.push_back({id, load_snapshot(repository, id)});
    std::sort(out.begin(), out.end(), [](const listed_snapshot& a, const listed_snapshot& b) {
        return a.doc.time != b.doc.time ? a.doc.time < b.doc.time : a.id < b.id;
    });
    return out;
}

object_id resolve_snapshot(const repo& repository, std::string_view spec, std::string_view source) {
    if (spec == "latest") {
        const auto all = list_snapshots(repository);
        for (auto it = all.rbegin(); it != all.rend(); ++it)
            if (source.empty() || it->doc.source == source) return it->id;
        if (source.empty())
            throw repository_error("the repository at " + repository.location() +
                                   " has no snapshots yet; create one with 'holdfast backup'");
        throw repository_error("the repository at " + repository.location() +
                               " has no snapshot of source '" + std::string(source) +
                               "'; list them with 'holdfast snapshots'");
    }
    const auto ids = list_snapshot_ids(repository);
    return resolve_id_prefix(spec, ids, snapshot_ids);
}

}  // namespace holdfast::repository
