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

struct table_record {
    std::string schema, name;
    std::optional<std::uint64_t> rows;  // none for a schema-only backup
    std::uint64_t size = 0;
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
