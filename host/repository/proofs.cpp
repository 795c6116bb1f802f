#include "repository/proofs.hpp"

#include "repository/errors.hpp"
#include "repository/stored_object.hpp"

#include <algorithm>

namespace holdfast::repository {

namespace {

// The associated data binds the proof to its snapshot: the key's snapshot id cannot be
// changed without the proof failing to open.
std::string proof_aad(const object_id& snapshot) { return std::string(aad::proof) + " " + snapshot.hex(); }

std::vector<names::proof_name> list_names(client::storage_instance& storage, const std::string& prefix) {
    std::vector<names::proof_name> out;
    storage.list(prefix, [&](const client::object_info& info) {
        if (auto name = names::proof_key(info.key)) out.push_back(*name);
    });
    return out;
}

proof_listing read_all(const repo& repository, const std::vector<names::proof_name>& found) {
    proof_listing listing;
    for (const names::proof_name& name : found) {
        try {
            listing.proofs.push_back({name.id, load_proof(repository, name.snapshot, name.id)});
        } catch (const repository_error& e) {
            listing.unreadable.emplace_back(e.what());
        }
    }
    std::sort(listing.proofs.begin(), listing.proofs.end(), [](const listed_proof& a, const listed_proof& b) {
        if (a.doc.snapshot != b.doc.snapshot) return a.doc.snapshot < b.doc.snapshot;
        return a.doc.time != b.doc.time ? a.doc.time < b.doc.time : a.id < b.id;
    });
    return listing;
}

}  // namespace

object_id save_proof(repo& repository, const proof& doc) {
    const std::string json = doc.to_json();
    auto codec = repository.codecs().borrow();
    const auto sealed = codec->objects().seal(as_bytes(json), proof_aad(doc.snapshot));
    const object_id id = object_id::of_content(sealed);
    client::storage_instance& storage = repository.storage();
    const bool atomic = storage.has_feature(HF_STORAGE_FEATURE_PUT_IF_ABSENT);
    try {
        storage.put(names::proof(doc.snapshot, id), sealed, atomic ? HF_PUT_IF_ABSENT : 0u);
    } catch (const client::plugin_error& e) {
        // The name is the content's hash: an object already there holds these very bytes.
        if (e.code() != HF_ERR_ALREADY_EXISTS) throw;
    }
    return id;
}

proof load_proof(const repo& repository, const object_id& snapshot, const object_id& id) {
    const std::string name = names::proof(snapshot, id);
    auto codec = repository.codecs().borrow();
    const auto plain = read_sealed_object(repository.storage(), codec->objects(), name, id, proof_aad(snapshot));
    proof doc = proof::parse(std::string_view(reinterpret_cast<const char*>(plain.data()), plain.size()),
                             "proof " + name);
    // Authenticated, so only a bug could write this; still, a proof must prove what its
    // key says it does.
    if (doc.snapshot != snapshot)
        throw corruption_error("proof " + name + " is corrupt: it records snapshot " + doc.snapshot.hex() +
                               "; run 'holdfast check'");
    return doc;
}

std::vector<names::proof_name> list_proof_names(const repo& repository, const object_id& snapshot) {
    return list_names(repository.storage(), names::proofs_of(snapshot));
}

std::vector<names::proof_name> list_all_proof_names(const repo& repository) {
    return list_names(repository.storage(), std::string(names::proofs_prefix));
}

std::span<const listed_proof> proof_listing::of(const object_id& snapshot) const {
    struct by_snapshot {
        bool operator()(const listed_proof& a, const object_id& b) const { return a.doc.snapshot < b; }
        bool operator()(const object_id& a, const listed_proof& b) const { return a < b.doc.snapshot; }
    };
    const auto [first, last] = std::equal_range(proofs.begin(), proofs.end(), snapshot, by_snapshot{});
    return {first, last};
}

proof_listing list_proofs(const repo& repository, const object_id& snapshot) {
    return read_all(repository, list_proof_names(repository, snapshot));
}

proof_listing list_all_proofs(const repo& repository) {
    return read_all(repository, list_all_proof_names(repository));
}

std::size_t remove_proofs(repo& repository, std::span<const names::proof_name> proofs) {
    for (const names::proof_name& name : proofs) repository.storage().remove(names::proof(name.snapshot, name.id));
    return proofs.size();
}

}  // namespace holdfast::repository
