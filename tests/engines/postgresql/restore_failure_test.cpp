// Restores that fail halfway, by an error of pg_restore or by Ctrl-C: the database being
// replaced is left exactly as it was, and the temporary database is gone
// (docs/engines/postgresql.md, Restore, step 2).
#include "postgresql_cli_fixture.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <map>
#include <thread>

extern char** environ;

namespace holdfast::testing::postgresql {
namespace {

namespace fs = std::filesystem;

using postgresql_restore_failure = postgresql_cli;

// A process running in the background, its output going to files.
class background_process {
public:
    background_process(const std::vector<std::string>& argv, const process_options& options, const fs::path& out,
                       const fs::path& err) {
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        std::map<std::string, std::string> env;
        for (char** e = environ; *e != nullptr; ++e) {
            const std::string entry(*e);
            const auto eq = entry.find('=');
            if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
        }
        for (const auto& [key, value] : options.env) {
            if (value) env[key] = *value;
            else env.erase(key);
        }
        std::vector<std::string> env_strings;
        for (const auto& [key, value] : env) env_strings.push_back(key + "=" + value);
        std::vector<char*> envp;
        for (auto& s : env_strings) envp.push_back(s.data());
        envp.push_back(nullptr);
        const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int null_fd = ::open("/dev/null", O_RDONLY);
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(null_fd, 0);
            ::dup2(out_fd, 1);
            ::dup2(err_fd, 2);
            if (!options.working_directory.empty() && ::chdir(options.working_directory.c_str()) != 0) ::_exit(126);
            ::execve(args[0], args.data(), envp.data());
            ::_exit(127);
        }
        ::close(out_fd);
        ::close(err_fd);
        ::close(null_fd);
    }
    ~background_process() {
        if (pid_ > 0 && !exit_code_) {
            ::kill(pid_, SIGKILL);
            wait();
        }
    }
    background_process(const background_process&) = delete;
    background_process& operator=(const background_process&) = delete;

    pid_t pid() const { return pid_; }
    bool running() {
        if (exit_code_) return false;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return false;
        }
        return true;
    }
    int wait() {
        if (!exit_code_) {
            int status = 0;
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
            exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        return *exit_code_;
    }

private:
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
};

TEST_F(postgresql_restore_failure, ARestoreFailingHalfwayLeavesTheOriginalUntouched) {
    auto& pg = cluster();
    load_wide(pg, "fail_db");
    // pg_restore fails at the COPY of public.zz_checked, after the schema and nearly all the
    // data (see add_unrestorable_tables; cluster_fixture_test checks pg_restore alone).
    add_unrestorable_tables(pg, "fail_db");
    add_source("pg", pg, {"fail_db"});
    init_repository();
    const auto id = backup("pg");

    pg.exec("fail_db", "DELETE FROM public.audit_log WHERE id % 2 = 0; UPDATE inventory.stock SET quantity = 0");
    const auto modified = pg.table_checksums("fail_db");
    const auto schema = pg.schema_dump("fail_db");
    const auto before = pg.databases();

    const auto failed = hf({"restore", id});
    EXPECT_NE(failed.exit_code, 0);
    EXPECT_NE(all_output(failed).find("zz_checked_known"), std::string::npos)
        << "pg_restore's error is not reported:\n" << all_output(failed);
    EXPECT_EQ(pg.table_checksums("fail_db"), modified);
    EXPECT_EQ(pg.schema_dump("fail_db"), schema);
    EXPECT_EQ(pg.databases(), before) << "a database was left behind (or the original renamed)";

    const auto into_new = hf({"restore", id, "--target", "fail_copy"});
    EXPECT_NE(into_new.exit_code, 0);
    EXPECT_FALSE(pg.database_exists("fail_copy"));
    EXPECT_EQ(pg.databases(), before);

    // In parallel, the failing table's pg_restore runs beside others still copying and a
    // spool still being written: all of them stop, and nothing is left behind.
    const auto parallel = hf({"restore", id, "--jobs", "2"});
    EXPECT_NE(parallel.exit_code, 0);
    EXPECT_NE(all_output(parallel).find("zz_checked_known"), std::string::npos) << all_output(parallel);
    EXPECT_EQ(pg.table_checksums("fail_db"), modified);
    EXPECT_EQ(pg.databases(), before);
}

TEST_F(postgresql_restore_failure, CtrlCDuringARestoreLeavesTheOriginalUntouched) {
    auto& pg = cluster();
    load_wide(pg, "int_db");
    // Enough data that pg_restore is still copying when it is interrupted.
    pg.exec("int_db", "CREATE TABLE public.bulk AS SELECT i, md5(i::text) AS h, repeat('x', 120) AS pad "
                      "FROM generate_series(1, 300000) AS i; CREATE INDEX bulk_h ON public.bulk (h)");
    add_source("pg", pg, {"int_db"});
    init_repository();
    const auto id = backup("pg");
    pg.exec("int_db", "DELETE FROM public.bulk WHERE i % 10 = 0; DELETE FROM public.audit_log WHERE id > 700");
    const auto modified = pg.table_checksums("int_db");
    const auto before = pg.databases();

    // Once streaming into one pg_restore, once with --jobs 2 (several pg_restore and a spool).
    for (const std::vector<std::string>& extra : {std::vector<std::string>{}, std::vector<std::string>{"--jobs", "2"}}) {
        SCOPED_TRACE(extra.empty() ? "one job" : "--jobs 2");
        std::vector<std::string> args{"restore", id};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto out = dir() / ("restore" + std::to_string(extra.size()) + ".out");
        const auto err = dir() / ("restore" + std::to_string(extra.size()) + ".err");
        background_process restore(command_line(args), hf_environment(), out, err);
        // Wait until pg_restore is copying rows into the temporary database, then press Ctrl-C.
        bool copying = false;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
        while (!copying && restore.running() && std::chrono::steady_clock::now() < deadline) {
            copying = pg.scalar("postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE "
                                            "'int\\_db\\_holdfast\\_%' AND query LIKE 'COPY %'") != "0";
            if (!copying) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        ASSERT_TRUE(copying) << "never saw pg_restore copying into int_db_holdfast_*; the restore "
                             << (restore.running() ? "is still running" : "ended first")
                             << "\nstderr: " << holdfast::pipeline::testing::file_content(err);
        ::kill(restore.pid(), SIGINT);
        const int code = restore.wait();
        EXPECT_EQ(code, 130) << holdfast::pipeline::testing::file_content(err);

        EXPECT_EQ(pg.table_checksums("int_db"), modified);
        EXPECT_EQ(pg.databases(), before) << "the temporary database (or a renamed original) is left";
        EXPECT_EQ(pg.scalar("postgres", "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                                        "AND datname LIKE 'int\\_db%' AND pid <> pg_backend_pid()"),
                  "0")
            << "pg_restore is still connected";
    }
}

}  // namespace
}  // namespace holdfast::testing::postgresql
