#include "repository/proof.hpp"

#include "repository/errors.hpp"

namespace holdfast::repository {

using nlohmann::json;

std::string proof::to_json() const {
    const json doc = {{"version", supported_version},
                      {"kind", kind},
                      {"snapshot", snapshot.hex()},
                      {"time", format_utc(time)},
                      {"host", host},
                      {"user", user},
                      {"holdfast_version", holdfast_version},
                      {"engine", engine},
                      {"engine_version", engine_version},
                      {"passed", passed},
                      {"duration_ms", duration_ms},
                      {"summary", summary},
                      {"report", report}};
    // Engine reports may carry text that is not valid UTF-8 (a table name, say): replace
    // it rather than fail to record the drill.
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

proof proof::parse(std::string_view text, std::string_view object) {
    const auto corrupt = [&](const std::string& why) {
        return corruption_error(std::string(object) + " is corrupt: " + why + "; run 'holdfast check'");
    };
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw corrupt("not a JSON object");
    proof p;
    try {
        const auto version = doc.at("version").get<long long>();
        if (version > supported_version)
            throw repository_error(std::string(object) + " has format version " + std::to_string(version) +
                                   ", newer than this holdfast supports (" + std::to_string(supported_version) +
                                   "); upgrade holdfast");
        if (version < 1) throw corrupt("invalid version");
        const auto snapshot = object_id::from_hex(doc.at("snapshot").get<std::string>());
        if (!snapshot) throw corrupt("invalid snapshot id " + doc.at("snapshot").dump());
        p.snapshot = *snapshot;
        const auto time = parse_utc(doc.at("time").get<std::string>());
        if (!time) throw corrupt("invalid time " + doc.at("time").dump());
        p.time = *time;
        p.kind = doc.at("kind").get<std::string>();
        p.passed = doc.at("passed").get<bool>();
        p.host = doc.value("host", "");
        p.user = doc.value("user", "");
        p.holdfast_version = doc.value("holdfast_version", "");
        p.engine = doc.value("engine", "");
        p.engine_version = doc.value("engine_version", "");
        p.duration_ms = doc.value("duration_ms", std::uint64_t{0});
        p.summary = doc.value("summary", "");
        p.report = doc.value("report", json(nullptr));
    } catch (const json::exception& e) {
        throw corrupt(e.what());
    }
    return p;
}

}  // namespace holdfast::repository
