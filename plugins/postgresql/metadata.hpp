// The snapshot metadata of a postgresql backup (docs/engines/postgresql.md): what restore
// checks and restore drills compare against. Written once per backup as one JSON object.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace holdfast::engines::postgresql {

struct extension_record {
    std::string name, version, schema;
};

// Where a table's data block lies in its database's archive stream: lets a parallel restore
// read it on its own (pg_dump writes to a pipe, so its archive records no offsets itself).
struct archive_block_record {
    int dump_id = 0;  // the TOC entry of the table's data
    std::uint64_t offset = 0, length = 0;

    bool operator==(const archive_block_record&) const = default;
};

struct table_record {
    std::string schema, name;
    std::optional<std::uint64_t> rows;  // none for a schema-only backup
    std::uint64_t size = 0;
    std::optional<archive_block_record> archive_block;  // none for older backups, or no data
};

struct database_record {
    std::string name, stream, owner, encoding, collate, ctype;
    std::uint64_t size = 0;
    std::vector<std::string> settings, acl;
    std::vector<extension_record> extensions;
    std::vector<std::string> roles;
    std::vector<table_record> tables;
};

struct selection_record {
    bool schema_only = false, data_only = false;
    std::vector<std::string> tables, exclude_tables, schemas, exclude_schemas;
};

struct snapshot_metadata {
    int format = 1;
    std::string server_version;
    int server_version_num = 0;
    std::string pg_dump_version;
    bool globals = true;
    bool role_passwords = false;
    selection_record selection;
    std::vector<database_record> databases;

    const database_record* find(const std::string& database) const;
};

nlohmann::json to_json(const snapshot_metadata& m);
// Throws plugin::error(HF_ERR_CORRUPT) when the text is not this engine's metadata.
snapshot_metadata parse_metadata(std::string_view json);

}  // namespace holdfast::engines::postgresql
