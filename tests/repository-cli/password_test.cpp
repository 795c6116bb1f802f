// Where the repository password comes from: HOLDFAST_PASSWORD, --password-file,
// --password-command, the configuration; and where the location comes from in a config.
#include "cli_repository_fixture.hpp"

#include <fstream>

namespace holdfast::cli_testing {
namespace {

namespace fs = std::filesystem;
using password_test = repository_cli_test;

process_options without_password(process_options o) {
    o.env["HOLDFAST_PASSWORD"] = std::nullopt;
    return o;
}

TEST_F(password_test, FromAPasswordFile) {
    init();
    const auto file = write_secret_file("pw", std::string(password) + "\n");  // the newline is dropped
    auto r = run({"snapshots", "--repo", repo_dir().string(), "--password-file", file.string()},
                 without_password(options()));
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(r.out, "no snapshots\n");

    const auto wrong = write_secret_file("wrong", "guess\n");
    r = run({"snapshots", "--repo", repo_dir().string(), "--password-file", wrong.string()},
            without_password(options()));
    ASSERT_TRUE(exited(r, 1));
    EXPECT_NE(r.err.find("wrong password"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--password-file"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("guess"), std::string::npos) << "the password is never shown: " << r.err;

    r = run({"snapshots", "--repo", repo_dir().string(), "--password-file", (dir() / "missing").string()},
            without_password(options()));
    ASSERT_TRUE(exited(r, 2));
    EXPECT_NE(r.err.find("--password-file: cannot read"), std::string::npos) << r.err;
}

TEST_F(password_test, FromAPasswordCommand) {
    init();
    auto r = run({"snapshots", "--repo", repo_dir().string(), "--password-command",
                  std::string("printf '%s\\n' '") + password + "'"},
                 without_password(options()));
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(r.out, "no snapshots\n");

    r = run({"snapshots", "--repo", repo_dir().string(), "--password-command", "exit 3"}, without_password(options()));
    ASSERT_TRUE(exited(r, 1));
    EXPECT_NE(r.err.find("--password-command"), std::string::npos) << r.err;
}

TEST_F(password_test, TheEnvironmentComesFirst) {
    init();
    const auto wrong = write_secret_file("wrong", "guess");
    auto r = run_repo({"snapshots", "--password-file", wrong.string()});
    ASSERT_TRUE(exited(r, 0));  // HOLDFAST_PASSWORD, set by the fixture, wins
}

TEST_F(password_test, NoPasswordAndNoTerminalIsAUsageError) {
    init();
    auto r = run({"snapshots", "--repo", repo_dir().string()}, without_password(options()));
    ASSERT_TRUE(exited(r, 2));
    for (const char* source : {"HOLDFAST_PASSWORD", "--password-file", "--password-command", "terminal"})
        EXPECT_NE(r.err.find(source), std::string::npos) << source << " missing from: " << r.err;
}

TEST_F(password_test, LocationAndPasswordFromTheConfiguration) {
    // A relative location in the configuration is taken from the file's directory, not
    // from the working directory.
    fs::create_directories(dir() / "etc");
    {
        std::ofstream cfg(dir() / "etc" / "holdfast.yaml");
        cfg << "repository:\n  location: ../repo\n  password_env: MY_REPOSITORY_PASSWORD\n";
    }
    auto opts = without_password(options());
    opts.env["HOLDFAST_CONFIG"] = (dir() / "etc" / "holdfast.yaml").string();
    opts.env["MY_REPOSITORY_PASSWORD"] = password;
    opts.working_directory = (dir() / "etc").string();

    auto r = run({"init", "--kdf-n", fast_kdf}, opts);
    ASSERT_TRUE(exited(r, 0));
    EXPECT_NE(r.out.find("created repository at " + repo_dir().string()), std::string::npos) << r.out;

    r = run({"snapshots"}, opts);
    ASSERT_TRUE(exited(r, 0));
    EXPECT_EQ(r.out, "no snapshots\n");

    opts.env["MY_REPOSITORY_PASSWORD"] = "guess";
    r = run({"snapshots"}, opts);
    ASSERT_TRUE(exited(r, 1));
    EXPECT_NE(r.err.find("repository.password_env"), std::string::npos) << r.err;

    opts.env["MY_REPOSITORY_PASSWORD"] = std::nullopt;
    r = run({"snapshots"}, opts);
    ASSERT_TRUE(exited(r, 2));
    EXPECT_NE(r.err.find("MY_REPOSITORY_PASSWORD"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace holdfast::cli_testing
