// `holdfast init`: creates a repository. Every parameter is checked before the
// storage is touched, so a typo never leaves an empty directory behind.
#include "cli/commands/commands.hpp"
#include "cli/kdf_option.hpp"
#include "cli/repository_access.hpp"
#include "cli/units.hpp"
#include "core/error.hpp"
#include "repository/repository.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <ostream>

namespace holdfast::cli {
namespace {

using json = nlohmann::ordered_json;

repository::encryption_mode encryption_from(const po::variables_map& vm) {
    const auto text = vm["encryption"].as<std::string>();
    if (text == "aes-256-gcm") return repository::encryption_mode::aes_256_gcm;
    if (text == "none") return repository::encryption_mode::none;
    throw usage_error("--encryption must be aes-256-gcm or none, got '" + text + "'");
}

repository::init_options options_from(const po::variables_map& vm) {
    repository::init_options options;
    auto& p = options.parameters;
    if (vm.count("chunk-min")) p.chunk_min = parse_byte_size(vm["chunk-min"].as<std::string>(), "--chunk-min");
    if (vm.count("chunk-avg")) p.chunk_avg = parse_byte_size(vm["chunk-avg"].as<std::string>(), "--chunk-avg");
    if (vm.count("chunk-max")) p.chunk_max = parse_byte_size(vm["chunk-max"].as<std::string>(), "--chunk-max");
    if (vm.count("pack-size")) p.pack_size = parse_byte_size(vm["pack-size"].as<std::string>(), "--pack-size");
    if (vm.count("compression-level")) p.zstd_level = vm["compression-level"].as<int>();
    p.encryption = encryption_from(vm);
    p.validate();
    options.kdf = kdf_from(vm);
    return options;
}

int run(context& ctx, const po::variables_map& vm) {
    const repository::init_options options = options_from(vm);
    const bool encrypted = options.parameters.encryption != repository::encryption_mode::none;
    repository_target target = repository_storage(ctx, vm, storage_use::create);
    const std::string password = encrypted ? repository_password(ctx, vm, target.config, true) : std::string();
    if (!encrypted)
        spdlog::warn("the repository at {} is UNENCRYPTED: anyone who can read its storage can read the backups",
                     target.location);
    const auto repo = repository::repo::init(target.storage, target.location, password, options);

    const auto& cfg = repo.config();
    const auto& p = cfg.parameters;
    const std::string key = repo.key_slot() ? repo.key_slot()->hex() : std::string();
    if (ctx.global.json) {
        json doc = {{"location", repo.location()},
                    {"id", cfg.id.hex()},
                    {"encryption", std::string(repository::to_string(p.encryption))},
                    {"key", key.empty() ? json(nullptr) : json(key)},
                    {"chunk_min", p.chunk_min},
                    {"chunk_avg", p.chunk_avg},
                    {"chunk_max", p.chunk_max},
                    {"compression_level", p.zstd_level},
                    {"pack_size", p.pack_size}};
        ctx.out << doc.dump(2) << '\n';
        return 0;
    }
    ctx.out << "created repository at " << repo.location() << '\n'
            << "id           " << cfg.id.hex() << '\n'
            << "encryption   " << repository::to_string(p.encryption) << '\n';
    if (!key.empty())
        ctx.out << "key          " << repo.key_slot()->short_hex() << " (scrypt N=" << options.kdf.n << ")\n";
    ctx.out << "chunks       " << human_bytes(p.chunk_min) << " min, " << human_bytes(p.chunk_avg) << " average, "
            << human_bytes(p.chunk_max) << " max\n"
            << "compression  zstd level " << p.zstd_level << '\n'
            << "pack size    " << human_bytes(p.pack_size) << '\n';
    if (encrypted)
        ctx.out << "Keep the password safe: without it nobody, holdfast included, can read these backups.\n";
    return 0;
}

}  // namespace

command init_command() {
    command c;
    c.name = "init";
    c.summary = "Create a repository";
    c.usage =
        "holdfast init [--repo LOCATION] [--encryption aes-256-gcm|none] [--chunk-min BYTES] [--chunk-avg BYTES] "
        "[--chunk-max BYTES] [--compression-level N] [--pack-size BYTES] [--kdf-n N] [--json]";
    c.details =
        "Creates an empty repository at the location and its first key slot, from the repository password. "
        "Chunk sizes, compression level and pack size are fixed for the repository's life; the defaults were "
        "chosen by measuring deduplication of database dumps (docs/repository-format.md). Byte counts take K, M, "
        "G suffixes (binary). A location that already holds a repository is refused.";
    c.define = [](po::options_description& desc, po::positional_options_description&) {
        add_repository_options(desc);
        const repository::repository_parameters defaults;
        desc.add_options()  //
            ("encryption", po::value<std::string>()->default_value("aes-256-gcm")->value_name("MODE"),
             "aes-256-gcm, or none for an unencrypted repository (integrity hashes are kept)")  //
            ("chunk-min", po::value<std::string>()->value_name("BYTES"),
             ("smallest chunk (default " + human_bytes(defaults.chunk_min) + ")").c_str())  //
            ("chunk-avg", po::value<std::string>()->value_name("BYTES"),
             ("average chunk, a power of two (default " + human_bytes(defaults.chunk_avg) + ")").c_str())  //
            ("chunk-max", po::value<std::string>()->value_name("BYTES"),
             ("largest chunk (default " + human_bytes(defaults.chunk_max) + ")").c_str())  //
            ("compression-level", po::value<int>()->value_name("N"),
             ("zstd level, 1 to 19 (default " + std::to_string(defaults.zstd_level) + ")").c_str())  //
            ("pack-size", po::value<std::string>()->value_name("BYTES"),
             ("target size of a pack file (default " + human_bytes(defaults.pack_size) + ")").c_str());
        add_kdf_option(desc);
    };
    c.run = run;
    return c;
}

}  // namespace holdfast::cli
