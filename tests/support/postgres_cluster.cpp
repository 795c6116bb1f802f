#include "postgres_cluster.hpp"

#include <libpq-fe.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace holdfast::testing {

namespace fs = std::filesystem;

namespace {

constexpr const char* server_user = "postgres";

bool running_as_root() { return ::geteuid() == 0; }

std::optional<fs::path> find_runuser() {
    for (const char* candidate : {"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"})
        if (::access(candidate, X_OK) == 0) return fs::path(candidate);
    return std::nullopt;
}

// The environment of every program the fixture runs: none of the developer's PG* settings.
process_options clean_environment() {
    process_options options;
    for (const char* name : {"PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGPASSFILE",
                             "PGSERVICE", "PGSERVICEFILE", "PGOPTIONS", "PGSSLMODE", "PGDATA", "PGAPPNAME",
                             "PGCONNECT_TIMEOUT", "PGTARGETSESSIONATTRS"})
        options.env[name] = std::nullopt;
    options.env["LC_MESSAGES"] = "C";
    return options;
}

std::string describe(const std::vector<std::string>& argv, const process_result& result) {
    std::string line;
    for (const auto& a : argv) line += (line.empty() ? "" : " ") + a;
    return line + " exited with " + std::to_string(result.exit_code) + "\n" + result.out + result.err;
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A libpq keyword value, quoted when it needs to be.
std::string keyword_value(const std::string& value) {
    if (!value.empty() && value.find_first_of(" '\\\t\n") == std::string::npos) return value;
    std::string quoted = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return quoted + "'";
}

std::string percent_encoded(const std::string& text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string sql_literal(const std::string& text) { return "'" + replace_all(text, "'", "''") + "'"; }

// A port nobody listens on right now (the server may still lose a race for it: start()
// retries with another one).
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        const int error = errno;
        ::close(fd);
        throw std::runtime_error(std::string("picking a free port: ") + std::strerror(error));
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

// A fresh directory under $TMPDIR; when running as root it is handed to the server user.
fs::path make_directory(const std::string& prefix, mode_t mode) {
    std::string pattern = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
    ::chmod(pattern.c_str(), mode);
    return pattern;
}

void give_to_server_user(const fs::path& path) {
    if (!running_as_root()) return;
    const passwd* user = ::getpwnam(server_user);
    if (user == nullptr) throw std::runtime_error("no system user 'postgres' to run the server as");
    if (::lchown(path.c_str(), user->pw_uid, user->pw_gid) != 0)
        throw std::runtime_error("chown " + path.string() + ": " + std::strerror(errno));
}

// An open libpq connection, closed by the destructor; notices are not printed.
class connection {
public:
    explicit connection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
        if (conn_ == nullptr) throw std::runtime_error("libpq: out of memory");
        if (PQstatus(conn_) != CONNECTION_OK) {
            std::string message = PQerrorMessage(conn_);
            PQfinish(conn_);
            throw std::runtime_error("connecting to " + conninfo + ": " + message);
        }
        PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    }
    ~connection() { PQfinish(conn_); }
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    std::vector<std::vector<std::string>> run(const std::string& sql) {
        PGresult* result = PQexec(conn_, sql.c_str());
        const auto status = PQresultStatus(result);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
            std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
            if (message.empty()) message = PQerrorMessage(conn_);
            PQclear(result);
            throw std::runtime_error(message + "(SQL: " + sql.substr(0, 400) + ")");
        }
        std::vector<std::vector<std::string>> rows;
        for (int r = 0; r < PQntuples(result); ++r) {
            auto& row = rows.emplace_back();
            for (int c = 0; c < PQnfields(result); ++c)
                row.emplace_back(PQgetisnull(result, r, c) ? "" : PQgetvalue(result, r, c));
        }
        PQclear(result);
        return rows;
    }

private:
    PGconn* conn_;
};

int parse_major(const std::string& version_output) {
    // "pg_ctl (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    const auto close = version_output.find(") ");
    if (close == std::string::npos) return 0;
    return std::atoi(version_output.c_str() + close + 2);
}

}  // namespace

// --- finding an installation ---

std::optional<fs::path> postgres_cluster::find_bin_dir() {
    if (const char* env = std::getenv("HOLDFAST_TEST_PG_BIN"); env != nullptr && *env != '\0') return fs::path(env);
    std::optional<fs::path> best;
    int best_major = -1;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isdigit(c); }))
            continue;
        const int major = std::atoi(name.c_str());
        if (major > best_major && fs::exists(entry.path() / "bin" / "initdb")) {
            best = entry.path() / "bin";
            best_major = major;
        }
    }
    return best;
}

std::string postgres_cluster::unavailable_reason() {
    const auto bin = find_bin_dir();
    if (!bin) return "PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql "
                     "postgresql-contrib, or set HOLDFAST_TEST_PG_BIN)";
    for (const char* program : {"initdb", "pg_ctl", "postgres"})
        if (::access((*bin / program).c_str(), X_OK) != 0)
            return "no executable " + (*bin / program).string() + " (HOLDFAST_TEST_PG_BIN or the newest installation)";
    if (running_as_root()) {
        if (::getpwnam(server_user) == nullptr)
            return "running as root, and there is no 'postgres' system user to run the server as";
        if (!find_runuser()) return "running as root, and there is no runuser to start the server as 'postgres'";
    }
    return "";
}

bool postgres_cluster::available() { return unavailable_reason().empty(); }

postgres_cluster& postgres_cluster::shared() {
    static std::unique_ptr<postgres_cluster> cluster;
    if (!cluster) {
        postgres_cluster_options options;
        options.password_auth = true;
        cluster = std::make_unique<postgres_cluster>(options);
    }
    return *cluster;
}

// --- life cycle ---

postgres_cluster::postgres_cluster(postgres_cluster_options options) : options_(std::move(options)) {
    if (!options_.bin_dir.empty()) {
        bin_dir_ = options_.bin_dir;
    } else if (auto found = find_bin_dir()) {
        bin_dir_ = *found;
    } else {
        throw std::runtime_error(unavailable_reason());
    }
    dir_ = make_directory("holdfast-pg-", 0700);
    try {
        give_to_server_user(dir_);
        data_dir_ = dir_ / "data";
        socket_dir_ = dir_.string();
        start_watchdog();
        start();
    } catch (...) {
        stop();
        throw;
    }
}

postgres_cluster::~postgres_cluster() { stop(); }

process_result postgres_cluster::as_server_user(std::vector<std::string> argv) const {
    if (running_as_root()) {
        std::vector<std::string> full{find_runuser().value_or("runuser").string(), "-u", server_user, "--"};
        full.insert(full.end(), argv.begin(), argv.end());
        argv = std::move(full);
    }
    auto options = clean_environment();
    options.working_directory = dir_.string();
    return run_process(argv, options);
}

void postgres_cluster::start() {
    const auto version = run_process({program("pg_ctl").string(), "--version"}, clean_environment());
    major_ = parse_major(version.out);

    const std::vector<std::string> initdb{program("initdb").string(), "-D", data_dir_.string(), "-U", "postgres",
                                          "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
                                          "--no-instructions"};
    if (auto result = as_server_user(initdb); result.exit_code != 0)
        throw std::runtime_error("initdb failed: " + describe(initdb, result));

    {
        std::ofstream hba(data_dir_ / "pg_hba.conf", std::ios::trunc);
        hba << "# written by the holdfast test fixture\n"
            << "local all all trust\n";
        if (options_.password_auth) hba << "host all secretive 127.0.0.1/32 scram-sha-256\n";
        hba << "host all all 127.0.0.1/32 trust\n";
    }
    give_to_server_user(data_dir_ / "pg_hba.conf");
    std::ofstream(data_dir_ / "postgresql.conf", std::ios::app) << "\ninclude_if_exists = 'holdfast_test.conf'\n";

    const fs::path log = dir_ / "server.log";
    std::string last_failure;
    for (int attempt = 0; attempt < 5; ++attempt) {
        port_ = free_port();
        {
            std::ofstream conf(data_dir_ / "holdfast_test.conf", std::ios::trunc);
            conf << "listen_addresses = '127.0.0.1'\n"
                 << "port = " << port_ << "\n"
                 << "unix_socket_directories = '" << socket_dir_ << "'\n"
                 << "fsync = off\n"
                 << "synchronous_commit = off\n"
                 << "full_page_writes = off\n"
                 << "shared_buffers = 16MB\n"
                 << "max_connections = 50\n"
                 << "lc_messages = 'C'\n"
                 << "password_encryption = 'scram-sha-256'\n";
        }
        give_to_server_user(data_dir_ / "holdfast_test.conf");
        const std::vector<std::string> pg_ctl{program("pg_ctl").string(), "-D", data_dir_.string(), "-l",
                                              log.string(), "-w", "-t", "60", "start"};
        const auto result = as_server_user(pg_ctl);
        if (result.exit_code == 0) {
            running_ = true;
            return;
        }
        const std::string server_output = server_log();
        last_failure = describe(pg_ctl, result) + "\nserver log:\n" + server_output;
        if (server_output.find("could not bind") == std::string::npos &&
            server_output.find("already in use") == std::string::npos)
            break;
    }
    throw std::runtime_error("the test PostgreSQL server did not start: " + last_failure);
}

void postgres_cluster::stop() noexcept {
    try {
        if (running_)
            as_server_user({program("pg_ctl").string(), "-D", data_dir_.string(), "-m", "immediate", "-w", "stop"});
        running_ = false;
    } catch (...) {
    }
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
    // Only now: the watchdog finds nothing left to do.
    if (watchdog_fd_ >= 0) ::close(watchdog_fd_);
    watchdog_fd_ = -1;
    if (watchdog_pid_ > 0) ::waitpid(watchdog_pid_, nullptr, 0);
    watchdog_pid_ = -1;
}

// A test program killed by a timeout or a crash runs no destructor; the server would go on
// running. A shell in a session of its own waits for end-of-file on a pipe whose write end
// only this process holds, then stops the server and removes the directory.
void postgres_cluster::start_watchdog() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;  // no watchdog: the destructor still cleans up
    std::vector<std::string> stop{program("pg_ctl").string(), "-D", data_dir_.string(), "-m", "immediate", "-w",
                                  "stop"};
    if (running_as_root())
        stop.insert(stop.begin(), {find_runuser().value_or("runuser").string(), "-u", server_user, "--"});
    std::vector<std::string> argv{"/bin/sh", "-c",
                                  "dir=$1; shift; while read -r _; do :; done; \"$@\"; rm -rf \"$dir\"", "sh",
                                  dir_.string()};
    argv.insert(argv.end(), stop.begin(), stop.end());
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setsid();
        const int null_fd = ::open("/dev/null", O_RDWR);
        ::dup2(fds[0], 0);
        ::dup2(null_fd, 1);
        ::dup2(null_fd, 2);
        ::execv("/bin/sh", args.data());
        ::_exit(127);
    }
    ::close(fds[0]);
    if (pid < 0) {
        ::close(fds[1]);
        return;
    }
    watchdog_fd_ = fds[1];
    watchdog_pid_ = pid;
}

std::string postgres_cluster::server_log() const { return read_file(dir_ / "server.log"); }

// --- connecting ---

std::string postgres_cluster::conninfo(const std::string& db, const std::string& user) const {
    return "host=" + keyword_value(socket_dir_) + " port=" + std::to_string(port_) + " user=" + keyword_value(user) +
           " dbname=" + keyword_value(db);
}

std::string postgres_cluster::tcp_conninfo(const std::string& db, const std::string& user) const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + keyword_value(user) +
           " dbname=" + keyword_value(db);
}

std::string postgres_cluster::url(const std::string& db, const std::string& user) const {
    return "postgresql://" + percent_encoded(user) + "@" + percent_encoded(socket_dir_) + ":" +
           std::to_string(port_) + "/" + percent_encoded(db);
}

std::string postgres_cluster::tcp_url(const std::string& db, const std::string& user) const {
    return "postgresql://" + percent_encoded(user) + "@127.0.0.1:" + std::to_string(port_) + "/" +
           percent_encoded(db);
}

void postgres_cluster::exec(const std::string& db, const std::string& sql) const {
    connection(conninfo(db)).run(sql);
}

std::vector<std::vector<std::string>> postgres_cluster::query(const std::string& db, const std::string& sql) const {
    return connection(conninfo(db)).run(sql);
}

std::string postgres_cluster::scalar(const std::string& db, const std::string& sql) const {
    const auto rows = query(db, sql);
    if (rows.empty() || rows.front().empty()) throw std::runtime_error("no value from: " + sql);
    return rows.front().front();
}

bool postgres_cluster::database_exists(const std::string& name) const {
    return scalar("postgres", "SELECT count(*) FROM pg_database WHERE datname = " + sql_literal(name)) != "0";
}

bool postgres_cluster::role_exists(const std::string& name) const {
    return scalar("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = " + sql_literal(name)) != "0";
}

std::vector<std::string> postgres_cluster::databases() const {
    std::vector<std::string> names;
    for (const auto& row : query("postgres", "SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1"))
        names.push_back(row.at(0));
    return names;
}

void postgres_cluster::create_database(const std::string& name) const {
    exec("postgres", "CREATE DATABASE \"" + replace_all(name, "\"", "\"\"") + "\"");
}

void postgres_cluster::drop_database(const std::string& name) const {
    exec("postgres", "DROP DATABASE IF EXISTS \"" + replace_all(name, "\"", "\"\"") + "\" WITH (FORCE)");
}

process_result postgres_cluster::run_client(const std::string& name, const std::vector<std::string>& args) const {
    std::vector<std::string> argv{program(name).string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, clean_environment());
}

void postgres_cluster::run_sql_file(const std::string& db, const fs::path& file) const {
    const std::vector<std::string> args{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo(db), "-f", file.string()};
    const auto result = run_client("psql", args);
    if (result.exit_code != 0)
        throw std::runtime_error("psql -f " + file.string() + " failed (" + std::to_string(result.exit_code) +
                                 "):\n" + result.out + result.err);
}

// --- comparing databases ---

std::map<std::string, table_checksum> postgres_cluster::table_checksums(const std::string& db) const {
    connection conn(conninfo(db));
    const auto relations = conn.run(
        "SELECT n.nspname || '.' || c.relname, format('%I.%I', n.nspname, c.relname), c.relkind "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1");
    std::map<std::string, table_checksum> sums;
    for (const auto& relation : relations) {
        const std::string& name = relation.at(0);
        const std::string& quoted = relation.at(1);
        const std::string sql =
            relation.at(2) == "S"
                ? "SELECT 1, md5(last_value::text || ' ' || is_called::text) FROM " + quoted
                : "SELECT count(*), coalesce(md5(string_agg(hf_row::text, E'\\n' "
                  "ORDER BY hf_row::text COLLATE \"C\")), '') FROM " + quoted + " hf_row";
        const auto row = conn.run(sql).at(0);
        sums[name] = table_checksum{std::stoll(row.at(0)), row.at(1)};
    }
    const auto objects = conn.run(
        "SELECT count(*), coalesce(md5(string_agg(m.oid::text || ':' || md5(lo_get(m.oid)), E'\\n' ORDER BY m.oid)), "
        "'') FROM pg_largeobject_metadata m").at(0);
    if (objects.at(0) != "0") sums["<large objects>"] = table_checksum{std::stoll(objects.at(0)), objects.at(1)};
    return sums;
}

std::string postgres_cluster::schema_dump(const std::string& db) const {
    const auto result = run_client("pg_dump", {"--schema-only", "--dbname=" + conninfo(db)});
    if (result.exit_code != 0) throw std::runtime_error("pg_dump --schema-only " + db + " failed:\n" + result.err);
    std::istringstream in(result.out);
    std::string line, normalised;
    while (std::getline(in, line)) {
        if (line.empty() || line.rfind("--", 0) == 0 || line.rfind("\\restrict", 0) == 0 ||
            line.rfind("\\unrestrict", 0) == 0)
            continue;
        normalised += line + "\n";
    }
    return normalised;
}

std::string postgres_cluster::database_properties(const std::string& db) const {
    return scalar("postgres",
                  "SELECT concat_ws(' | ', pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datcollate, "
                  "d.datctype, d.datconnlimit, coalesce(d.datacl::text, '-'), coalesce((SELECT "
                  "array_to_string(s.setconfig, ',') FROM pg_db_role_setting s WHERE s.setdatabase = d.oid AND "
                  "s.setrole = 0), '-')) FROM pg_database d WHERE d.datname = " + sql_literal(db));
}

// --- sessions ---

pg_session::pg_session(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (conn_ == nullptr) throw std::runtime_error("libpq: out of memory");
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string message = PQerrorMessage(conn_);
        PQfinish(conn_);
        conn_ = nullptr;
        throw std::runtime_error("connecting to " + conninfo + ": " + message);
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

pg_session::~pg_session() {
    if (conn_ != nullptr) PQfinish(conn_);
}

void pg_session::exec(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(result);
    std::string message;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
        message = result != nullptr ? PQresultErrorMessage(result) : "";
        if (message.empty()) message = PQerrorMessage(conn_);
        if (message.empty()) message = "the session failed";
    }
    PQclear(result);
    if (!message.empty()) throw std::runtime_error(message);
}

int pg_session::backend_pid() const { return PQbackendPID(conn_); }

// --- an installation without some extensions ---

pruned_postgres_installation::pruned_postgres_installation(const fs::path& bin_dir,
                                                           const std::vector<std::string>& without) {
    const std::vector<std::string> argv{(bin_dir / "pg_config").string(), "--bindir", "--sharedir", "--pkglibdir"};
    const auto config = run_process(argv, clean_environment());
    if (config.exit_code != 0) throw std::runtime_error("pg_config failed: " + describe(argv, config));
    std::istringstream lines(config.out);
    std::string bindir, sharedir, pkglibdir;
    std::getline(lines, bindir);
    std::getline(lines, sharedir);
    std::getline(lines, pkglibdir);
    if (bindir.empty() || sharedir.empty() || pkglibdir.empty())
        throw std::runtime_error("pg_config printed no directories: " + config.out);

    root_ = make_directory("holdfast-pg-install-", 0755);
    // The compiled-in directories mirrored under root_: PostgreSQL derives its share and
    // library directories from where its executable is, by their common prefix with bindir.
    const auto under_root = [&](const std::string& dir) { return root_ / fs::path(dir).relative_path(); };
    bin_dir_ = under_root(bindir);
    fs::create_directories(bin_dir_);
    for (const auto& entry : fs::directory_iterator(bindir)) {
        const auto target = bin_dir_ / entry.path().filename();
        if (entry.is_symlink() && fs::read_symlink(entry.path()).is_relative()) {
            fs::create_symlink(fs::read_symlink(entry.path()), target);
        } else if (entry.is_regular_file()) {
            // A copy, not a link: PostgreSQL resolves symbolic links to find its own location.
            fs::copy_file(entry.path(), target);
            fs::permissions(target, fs::status(entry.path()).permissions());
        }
    }
    fs::create_directories(under_root(pkglibdir).parent_path());
    if (!fs::exists(under_root(pkglibdir))) fs::create_directory_symlink(pkglibdir, under_root(pkglibdir));
    const auto share = under_root(sharedir);
    fs::create_directories(share / "extension");
    for (const auto& entry : fs::directory_iterator(sharedir))
        if (entry.path().filename() != "extension") fs::create_symlink(entry.path(), share / entry.path().filename());
    for (const auto& entry : fs::directory_iterator(fs::path(sharedir) / "extension")) {
        const std::string name = entry.path().filename().string();
        const bool left_out = std::any_of(without.begin(), without.end(), [&](const std::string& extension) {
            return name == extension + ".control" || name.rfind(extension + "--", 0) == 0;
        });
        if (!left_out) fs::create_symlink(entry.path(), share / "extension" / name);
    }
    // Readable by the server user whatever the umask.
    for (const auto& entry : fs::recursive_directory_iterator(root_))
        if (entry.is_directory() && !entry.is_symlink()) ::chmod(entry.path().c_str(), 0755);

    const auto check = run_process({(bin_dir_ / "pg_config").string(), "--sharedir"}, clean_environment());
    if (check.out.substr(0, check.out.find('\n')) != share.string()) {
        std::error_code ignored;
        fs::remove_all(root_, ignored);
        throw std::runtime_error("this PostgreSQL installation is not relocatable: a copy of it still uses " +
                                 check.out);
    }
}

pruned_postgres_installation::~pruned_postgres_installation() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    if (from.empty()) return text;
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

}  // namespace holdfast::testing
