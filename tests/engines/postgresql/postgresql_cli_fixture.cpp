#include "postgresql_cli_fixture.hpp"

#include <set>

namespace holdfast::testing::postgresql {

namespace fs = std::filesystem;

namespace {

const fs::path data_dir = HOLDFAST_PG_TEST_DATA_DIR;

std::string join_args(const std::vector<std::string>& args) {
    std::string line;
    for (const auto& a : args) line += " " + a;
    return line;
}

}  // namespace

void load_wide(const postgres_cluster& cluster, const std::string& db) {
    // wide_roles.sql creates only what is missing: running it again is harmless.
    static std::set<const postgres_cluster*> with_roles;
    if (!with_roles.contains(&cluster)) {
        cluster.run_sql_file("postgres", data_dir / "wide_roles.sql");
        with_roles.insert(&cluster);
    }
    cluster.create_database(db);
    cluster.run_sql_file(db, data_dir / "wide_schema.sql");
}

void add_unrestorable_tables(const postgres_cluster& cluster, const std::string& db) {
    cluster.exec(db, R"sql(
        CREATE TABLE public.zzz_lookup (id integer PRIMARY KEY);
        CREATE FUNCTION public.zz_known(v integer) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
        BEGIN
            RETURN EXISTS (SELECT 1 FROM public.zzz_lookup WHERE id = v);
        END
        $$;
        CREATE TABLE public.zz_checked (v integer NOT NULL CONSTRAINT zz_checked_known CHECK (public.zz_known(v)));
        INSERT INTO public.zzz_lookup SELECT generate_series(1, 100);
        INSERT INTO public.zz_checked SELECT generate_series(1, 100);
    )sql");
}

std::vector<std::string> databases_containing(const postgres_cluster& cluster, const std::string& part) {
    std::vector<std::string> found;
    for (const auto& name : cluster.databases())
        if (name.find(part) != std::string::npos) found.push_back(name);
    return found;
}

void postgresql_cli::SetUp() {
    cli_test::SetUp();
    if (!postgres_cluster::available()) GTEST_SKIP() << postgres_cluster::unavailable_reason();
    cluster_ = &postgres_cluster::shared();
    tmp_ = dir() / "tmp";
    fs::create_directories(tmp_);
}

void postgresql_cli::TearDown() {
    if (cluster_ != nullptr) {
        EXPECT_EQ(databases_containing(*cluster_, "_holdfast_"), std::vector<std::string>{})
            << "a temporary database of a restore was left behind";
        EXPECT_EQ(databases_containing(*cluster_, "holdfast_drill_"), std::vector<std::string>{})
            << "a scratch database of a restore drill was left behind";
        if (fs::exists(tmp_)) {
            std::vector<std::string> left;
            for (const auto& entry : fs::directory_iterator(tmp_)) left.push_back(entry.path().string());
            EXPECT_EQ(left, std::vector<std::string>{}) << "temporary files left in $TMPDIR";
        }
    }
    cli_test::TearDown();
}

void postgresql_cli::add_source(const std::string& name, const postgres_cluster& cluster,
                                const std::vector<std::string>& databases, const std::string& extra) {
    add_source_with_url(name, cluster.conninfo("postgres"), databases, extra);
}

void postgresql_cli::add_source_with_url(const std::string& name, const std::string& url,
                                         const std::vector<std::string>& databases, const std::string& extra) {
    sources_ += "  - name: " + name + "\n    engine: postgresql\n    settings:\n      url: " +
                nlohmann::json(url).dump() + "\n";
    if (!databases.empty()) sources_ += "      databases: " + nlohmann::json(databases).dump() + "\n";
    sources_ += extra;
    write_config(sources_);
}

process_options postgresql_cli::hf_environment(const env& extra) const {
    auto options = environment();
    for (const char* name : {"PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGPASSFILE",
                             "PGSERVICE", "PGSERVICEFILE", "PGOPTIONS", "PGSSLMODE", "PGAPPNAME"})
        options.env[name] = std::nullopt;
    options.env["TMPDIR"] = tmp_.string();
    for (const auto& [key, value] : extra) options.env[key] = value;
    return options;
}

process_result postgresql_cli::hf(std::vector<std::string> args, const env& extra) const {
    return run_process(command_line(std::move(args)), hf_environment(extra));
}

process_result postgresql_cli::hf_ok(std::vector<std::string> args, const env& extra) const {
    const std::string line = join_args(args);
    auto result = hf(std::move(args), extra);
    EXPECT_EQ(result.exit_code, 0) << "holdfast" << line << "\nstdout: " << result.out << "\nstderr: " << result.err;
    return result;
}

nlohmann::json postgresql_cli::snapshots_json() const {
    const auto listing = hf_ok({"snapshots", "--json"});
    const auto parsed = nlohmann::json::parse(listing.out, nullptr, false);
    EXPECT_TRUE(parsed.is_array()) << listing.out;
    return parsed.is_array() ? parsed : nlohmann::json::array();
}

std::string postgresql_cli::latest_snapshot(const std::string& source) const {
    std::string id;
    for (const auto& s : snapshots_json())
        if (s.value("source", "") == source) id = s.value("id", "");
    EXPECT_FALSE(id.empty()) << "no snapshot of " << source;
    return id;
}

nlohmann::json postgresql_cli::snapshot_entry(const std::string& id) const {
    for (const auto& s : snapshots_json())
        if (s.value("id", "") == id) return s;
    ADD_FAILURE() << "no snapshot " << id;
    return nlohmann::json::object();
}

nlohmann::json postgresql_cli::result_line(const std::string& out) {
    std::size_t start = 0;
    while (start < out.size()) {
        auto end = out.find('\n', start);
        if (end == std::string::npos) end = out.size();
        const auto line = nlohmann::json::parse(out.substr(start, end - start), nullptr, false);
        if (line.is_object() && line.value("type", "") == "result") return line;
        start = end + 1;
    }
    return nlohmann::json::object();
}

nlohmann::json postgresql_cli::report_of(const std::string& out) {
    const auto result = result_line(out);
    const auto report = result.find("report");
    return report != result.end() && report->is_object() ? *report : nlohmann::json::object();
}

std::string postgresql_cli::backup(const std::string& source, std::vector<std::string> extra_args) const {
    std::vector<std::string> args{"backup", source};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    hf_ok(args);
    return latest_snapshot(source);
}

}  // namespace holdfast::testing::postgresql
