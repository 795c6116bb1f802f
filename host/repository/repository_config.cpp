#include "repository/repository_config.hpp"

#include "core/error.hpp"
#include "repository/compression.hpp"
#include "repository/errors.hpp"
#include "repository/utc_time.hpp"

#include <nlohmann/json.hpp>

namespace holdfast::repository {

using nlohmann::json;

std::string_view to_string(encryption_mode mode) {
    return mode == encryption_mode::none ? "none" : "aes-256-gcm";
}

void repository_parameters::validate() const {
    const chunker_params chunks{.min_size = chunk_min, .avg_size = chunk_avg, .max_size = chunk_max};
    try {
        chunks.validate();
    } catch (const std::invalid_argument& e) {
        throw usage_error(std::string("invalid chunk sizes: ") + e.what());
    }
    try {
        zstd_compressor check(zstd_level);
    } catch (const std::invalid_argument& e) {
        throw usage_error(std::string("invalid compression level: ") + e.what());
    }
    if (pack_size < min_pack_size || pack_size > max_pack_size)
        throw usage_error("pack size " + std::to_string(pack_size) + " is out of range " +
                          std::to_string(min_pack_size) + ".." + std::to_string(max_pack_size));
}

repository_config repository_config::create(const repository_parameters& parameters) {
    parameters.validate();
    repository_config config;
    digest256 random_id{};
    random_bytes(random_id);
    config.id = object_id(random_id);
    config.created = format_utc(utc_now());
    config.parameters = parameters;
    return config;
}

std::string repository_config::to_json() const {
    const json doc = {
        {"format", format_name},
        {"version", version},
        {"id", id.hex()},
        {"created", created},
        {"encryption", to_string(parameters.encryption)},
        {"chunker",
         {{"algorithm", "fastcdc-2020"},
          {"min", parameters.chunk_min},
          {"avg", parameters.chunk_avg},
          {"max", parameters.chunk_max}}},
        {"compression", {{"algorithm", "zstd"}, {"level", parameters.zstd_level}}},
        {"pack_size", parameters.pack_size}};
    return doc.dump(2) + "\n";
}

repository_config repository_config::parse(std::string_view text, std::string_view location) {
    const std::string where(location);
    const auto not_ours = [&](const std::string& why) {
        return repository_error(where + " is not a holdfast repository: its 'config' object " +
                                why + "; check the repository location");
    };
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw not_ours("is not a JSON object");
    if (!doc.contains("format") || doc["format"] != format_name)
        throw not_ours("does not have \"format\": \"holdfast-repository\"");
    if (!doc.contains("version") || !doc["version"].is_number_integer() || doc["version"] < 1)
        throw not_ours("has no valid \"version\"");
    const auto found_version = doc["version"].get<long long>();
    if (found_version > supported_version)
        throw repository_error("repository format version " + std::to_string(found_version) +
                               " is newer than this holdfast supports (" +
                               std::to_string(supported_version) + "); upgrade holdfast");

    // From here on the object claims to be ours: anything missing means it was damaged.
    const auto damaged = [&](const std::string& why) {
        return corruption_error("the 'config' object of " + where + " is damaged: " + why +
                                "; restore it from a copy of the repository");
    };
    repository_config config;
    config.version = static_cast<int>(found_version);
    try {
        const auto id = object_id::from_hex(doc.at("id").get<std::string>());
        if (!id) throw damaged("\"id\" is not 64 hex digits");
        config.id = *id;
        config.created = doc.value("created", "");
        const std::string encryption = doc.at("encryption").get<std::string>();
        if (encryption == "aes-256-gcm")
            config.parameters.encryption = encryption_mode::aes_256_gcm;
        else if (encryption == "none")
            config.parameters.encryption = encryption_mode::none;
        else
            throw damaged("unknown \"encryption\" \"" + encryption + "\"");
        const json& chunker = doc.at("chunker");
        if (chunker.at("algorithm") != "fastcdc-2020")
            throw damaged("unknown chunker algorithm " + chunker.at("algorithm").dump());
        config.parameters.chunk_min = chunker.at("min").get<std::size_t>();
        config.parameters.chunk_avg = chunker.at("avg").get<std::size_t>();
        config.parameters.chunk_max = chunker.at("max").get<std::size_t>();
        const json& compression = doc.at("compression");
        if (compression.at("algorithm") != "zstd")
            throw damaged("unknown compression algorithm " + compression.at("algorithm").dump());
        config.parameters.zstd_level = compression.at("level").get<int>();
        config.parameters.pack_size = doc.at("pack_size").get<std::uint64_t>();
    } catch (const json::exception& e) {
        throw damaged(e.what());
    }
    try {
        config.parameters.validate();
    } catch (const usage_error& e) {
        throw damaged(e.what());
    }
    return config;
}

chunker_params repository_config::chunker(std::uint64_t gear_seed) const {
    return chunker_params{.min_size = parameters.chunk_min,
                          .avg_size = parameters.chunk_avg,
                          .max_size = parameters.chunk_max,
                          .gear_seed = gear_seed};
}

}  // namespace holdfast::repository
