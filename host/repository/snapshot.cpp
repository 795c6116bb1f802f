#include "repository/snapshot.hpp"

#include "repository/errors.hpp"

namespace holdfast::repository {

using nlohmann::json;

namespace {

json ids_to_json(const std::vector<object_id>& ids) {
    json out = json::array();
    for (const object_id& id : ids) out.push_back(id.hex());
    return out;
}

}  // namespace

std::string snapshot::to_json() const {
    json streams_json = json::array();
    for (const stream_entry& s : streams) {
        json entry = {{"name", s.name}, {"size", s.size}, {s.checksum.key(), s.checksum.hex}};
        if (s.content_lists.empty())
            entry["content"] = ids_to_json(s.content);
        else
            entry["content_lists"] = ids_to_json(s.content_lists);
        if (!s.sketch_lists.empty()) entry["sketch_lists"] = ids_to_json(s.sketch_lists);
        streams_json.push_back(std::move(entry));
    }
    const json doc = {{"version", supported_version},
                      {"time", format_utc(time)},
                      {"host", host},
                      {"user", user},
                      {"source", source},
                      {"engine", engine},
                      {"engine_version", engine_version},
                      {"metadata", metadata},
                      {"tags", tags},
                      {"parent", parent ? json(parent->hex()) : json(nullptr)},
                      {"streams", std::move(streams_json)},
                      {"summary",
                       {{"duration_ms", summary.duration_ms},
                        {"bytes_new", summary.bytes_new},
                        {"blobs_new", summary.blobs_new},
                        {"bytes_stored_new", summary.bytes_stored_new}}}};
    return doc.dump();
}

snapshot snapshot::parse(std::string_view text, std::string_view object) {
    const auto corrupt = [&](const std::string& why) {
        return corruption_error(std::string(object) + " is corrupt: " + why +
                                "; run 'holdfast check'");
    };
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw corrupt("not a JSON object");
    snapshot snap;
    try {
        const auto version = doc.at("version").get<long long>();
        if (version > supported_version)
            throw repository_error(std::string(object) + " has format version " +
                                   std::to_string(version) +
                                   ", newer than this holdfast supports (" +
                                   std::to_string(supported_version) + "); upgrade holdfast");
        if (version < 1) throw corrupt("invalid version");
        const auto time = parse_utc(doc.at("time").get<std::string>());
        if (!time) throw corrupt("invalid time " + doc.at("time").dump());
        snap.time = *time;
        snap.host = doc.value("host", "");
        snap.user = doc.value("user", "");
        snap.source = doc.at("source").get<std::string>();
        snap.engine = doc.at("engine").get<std::string>();
        snap.engine_version = doc.value("engine_version", "");
        snap.metadata = doc.value("metadata", json::object());
        snap.tags = doc.value("tags", std::vector<std::string>{});
        if (const auto& parent = doc.value("parent", json(nullptr)); !parent.is_null()) {
            const auto id = object_id::from_hex(parent.get<std::string>());
            if (!id) throw corrupt("invalid parent id");
            snap.parent = *id;
        }
        const auto parse_ids = [&](const json& list) {
            std::vector<object_id> ids;
            ids.reserve(list.size());
            for (const json& item : list) {
                const auto id = object_id::from_hex(item.get<std::string>());
                if (!id) throw corrupt("invalid blob id " + item.dump());
                ids.push_back(*id);
            }
            return ids;
        };
        // The stream's one checksum: XXH3-128, or SHA-256 in snapshots of holdfast 0.1.0.
        const auto checksum_of = [&](const std::string& stream, const json& entry) {
            std::optional<stream_checksum> found;
            for (const auto algorithm : {checksum_algorithm::xxh3_128, checksum_algorithm::sha256}) {
                const std::string key(stream_checksum::key_of(algorithm));
                if (!entry.contains(key)) continue;
                if (found) throw corrupt("stream '" + stream + "' has two checksums");
                found = stream_checksum{algorithm, entry.at(key).get<std::string>()};
                if (!found->well_formed()) throw corrupt("stream '" + stream + "' has a malformed " + key + " checksum");
            }
            if (!found) throw corrupt("stream '" + stream + "' has no checksum (xxh3_128 or sha256)");
            return *found;
        };
        for (const json& s : doc.at("streams")) {
            stream_entry entry;
            entry.name = s.at("name").get<std::string>();
            entry.size = s.at("size").get<std::uint64_t>();
            entry.checksum = checksum_of(entry.name, s);
            const bool inline_list = s.contains("content");
            const bool stored_lists = s.contains("content_lists");
            if (inline_list == stored_lists)
                throw corrupt("stream '" + entry.name +
                              "' needs exactly one of content and content_lists");
            if (inline_list)
                entry.content = parse_ids(s.at("content"));
            else
                entry.content_lists = parse_ids(s.at("content_lists"));
            if (s.contains("sketch_lists")) entry.sketch_lists = parse_ids(s.at("sketch_lists"));
            snap.streams.push_back(std::move(entry));
        }
        if (doc.contains("summary")) {
            const json& sum = doc.at("summary");
            snap.summary.duration_ms = sum.value("duration_ms", std::uint64_t{0});
            snap.summary.bytes_new = sum.value("bytes_new", std::uint64_t{0});
            snap.summary.blobs_new = sum.value("blobs_new", std::uint64_t{0});
            snap.summary.bytes_stored_new = sum.value("bytes_stored_new", std::uint64_t{0});
        }
    } catch (const json::exception& e) {
        throw corrupt(e.what());
    }
    return snap;
}

}  // namespace holdfast::repository
