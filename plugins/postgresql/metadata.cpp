#include "metadata.hpp"

#include <holdfast/plugin/common.hpp>

namespace holdfast::engines::postgresql {

using nlohmann::json;

void to_json(json& j, const extension_record& e) { j = {{"name", e.name}, {"version", e.version}, {"schema", e.schema}}; }
void from_json(const json& j, extension_record& e) {
    j.at("name").get_to(e.name);
    e.version = j.value("version", "");
    e.schema = j.value("schema", "");
}

void to_json(json& j, const archive_block_record& b) {
    j = {{"dump_id", b.dump_id}, {"offset", b.offset}, {"length", b.length}};
}
void from_json(const json& j, archive_block_record& b) {
    j.at("dump_id").get_to(b.dump_id);
    j.at("offset").get_to(b.offset);
    j.at("length").get_to(b.length);
}

void to_json(json& j, const table_record& t) {
    j = {{"schema", t.schema}, {"name", t.name}, {"rows", t.rows ? json(*t.rows) : json(nullptr)}, {"size", t.size}};
    if (t.archive_block) j["archive_block"] = *t.archive_block;
}
void from_json(const json& j, table_record& t) {
    j.at("schema").get_to(t.schema);
    j.at("name").get_to(t.name);
    if (j.contains("rows") && !j.at("rows").is_null()) t.rows = j.at("rows").get<std::uint64_t>();
    t.size = j.value("size", std::uint64_t{0});
    if (j.contains("archive_block")) t.archive_block = j.at("archive_block").get<archive_block_record>();
}

void to_json(json& j, const database_record& d) {
    j = {{"name", d.name},         {"stream", d.stream},     {"owner", d.owner},       {"encoding", d.encoding},
         {"collate", d.collate},   {"ctype", d.ctype},       {"size", d.size},         {"settings", d.settings},
         {"acl", d.acl},           {"extensions", d.extensions}, {"roles", d.roles},   {"tables", d.tables}};
}
void from_json(const json& j, database_record& d) {
    j.at("name").get_to(d.name);
    j.at("stream").get_to(d.stream);
    d.owner = j.value("owner", "");
    d.encoding = j.value("encoding", "");
    d.collate = j.value("collate", "");
    d.ctype = j.value("ctype", "");
    d.size = j.value("size", std::uint64_t{0});
    d.settings = j.value("settings", std::vector<std::string>{});
    d.acl = j.value("acl", std::vector<std::string>{});
    d.extensions = j.value("extensions", std::vector<extension_record>{});
    d.roles = j.value("roles", std::vector<std::string>{});
    d.tables = j.value("tables", std::vector<table_record>{});
}

const database_record* snapshot_metadata::find(const std::string& database) const {
    for (const auto& d : databases)
        if (d.name == database) return &d;
    return nullptr;
}

json to_json(const snapshot_metadata& m) {
    const auto& s = m.selection;
    return {{"engine", "postgresql"},
            {"format", m.format},
            {"server_version", m.server_version},
            {"server_version_num", m.server_version_num},
            {"pg_dump_version", m.pg_dump_version},
            {"globals", m.globals},
            {"role_passwords", m.role_passwords},
            {"selection",
             {{"schema_only", s.schema_only},
              {"data_only", s.data_only},
              {"tables", s.tables},
              {"exclude_tables", s.exclude_tables},
              {"schemas", s.schemas},
              {"exclude_schemas", s.exclude_schemas}}},
            {"databases", m.databases}};
}

snapshot_metadata parse_metadata(std::string_view text) {
    try {
        const json j = json::parse(text);
        if (j.value("engine", "") != "postgresql")
            throw plugin::error(HF_ERR_CORRUPT, "the snapshot's metadata is not a postgresql backup's");
        snapshot_metadata m;
        m.format = j.value("format", 1);
        m.server_version = j.value("server_version", "");
        m.server_version_num = j.value("server_version_num", 0);
        m.pg_dump_version = j.value("pg_dump_version", "");
        m.globals = j.value("globals", true);
        m.role_passwords = j.value("role_passwords", false);
        const json sel = j.value("selection", json::object());
        m.selection.schema_only = sel.value("schema_only", false);
        m.selection.data_only = sel.value("data_only", false);
        m.databases = j.at("databases").get<std::vector<database_record>>();
        return m;
    } catch (const json::exception& e) {
        throw plugin::error(HF_ERR_CORRUPT, std::string("the snapshot's postgresql metadata is unreadable: ") + e.what());
    }
}

}  // namespace holdfast::engines::postgresql
