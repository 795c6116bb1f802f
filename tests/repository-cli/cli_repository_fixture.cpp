#include "cli_repository_fixture.hpp"

#include "plugins/catalog.hpp"
#include "repository/blob_store.hpp"
#include "repository/crypto.hpp"
#include "repository/snapshots.hpp"

#include <fstream>
#include <memory>
#include <span>

namespace holdfast::cli_testing {
namespace {

namespace fs = std::filesystem;

plugins::catalog& build_tree_catalog() {
    static plugins::catalog catalog =
        plugins::catalog::discover({HOLDFAST_TEST_PLUGIN_DIR}, plugins::plugin_policy{});
    return catalog;
}

std::span<const std::byte> bytes_of(std::string_view text) { return std::as_bytes(std::span(text.data(), text.size())); }

}  // namespace

::testing::AssertionResult exited(const process_result& r, int code) {
    if (r.exit_code == code) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "exit " << r.exit_code << " (expected " << code << ")\nstdout: " << r.out
                                         << "\nstderr: " << r.err;
}

void repository_cli_test::SetUp() {
    dir_ = fs::temp_directory_path() / ("holdfast-repository-cli-" + repository::to_hex(repository::random_bytes(8)));
    fs::create_directories(dir_);
}

void repository_cli_test::TearDown() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

process_options repository_cli_test::options() const {
    process_options o;
    // Nothing of the machine's: no configuration file, no repository, the build's plugins.
    for (const char* name : {"HOLDFAST_CONFIG", "HOLDFAST_REPOSITORY", "HOLDFAST_LOG", "HOLDFAST_ADD_PLUGIN_PATH",
                             "XDG_CONFIG_HOME"})
        o.env[name] = std::nullopt;
    o.env["HOLDFAST_PLUGIN_PATH"] = HOLDFAST_TEST_PLUGIN_DIR;
    o.env["HOLDFAST_PASSWORD"] = password;
    o.env["HOME"] = dir_.string();
    o.working_directory = dir_.string();
    return o;
}

process_result repository_cli_test::run(const std::vector<std::string>& args, const process_options& opts) const {
    return holdfast::testing::run_holdfast(args, opts);
}

process_result repository_cli_test::run_repo(std::vector<std::string> args) const {
    args.push_back("--repo");
    args.push_back(repo_dir().string());
    return run(args);
}

void repository_cli_test::init(const std::vector<std::string>& extra) const {
    std::vector<std::string> args{"init", "--repo", repo_dir().string(), "--kdf-n", fast_kdf};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run(args);
    ASSERT_TRUE(exited(r, 0));
}

fs::path repository_cli_test::write_secret_file(const std::string& name, const std::string& content) const {
    const fs::path file = dir_ / name;
    std::ofstream(file, std::ios::binary) << content;
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
    return file;
}

repository::object_id repository_cli_test::add_snapshot(const std::string& source,
                                                        const std::vector<std::string>& tags,
                                                        const std::string& data,
                                                        const std::string& with_password) const {
    const nlohmann::json settings = {{"path", repo_dir().string()}};
    auto storage = std::make_shared<client::storage_instance>(
        build_tree_catalog().open_storage("local", settings.dump()));
    auto repo = repository::repo::open(storage, repo_dir().string(), with_password);
    repo.load_index();

    repository::stream_entry stream;
    stream.name = "database";
    stream.size = data.size();
    stream.checksum = repository::stream_hasher::of(bytes_of(data));
    {
        repository::blob_store store(repo);
        // Fixed 4 KiB pieces: what matters here is that blobs exist, not where they are cut.
        for (std::size_t offset = 0; offset < data.size(); offset += 4096) {
            auto piece = bytes_of(std::string_view(data).substr(offset, 4096));
            stream.content.push_back(store.add(repository::blob_type::data, piece).id);
        }
        store.flush();
    }
    repository::snapshot snap;
    snap.time = repository::utc_now();
    snap.host = "testhost";
    snap.user = "tester";
    snap.source = source;
    snap.engine = "sqlite";
    snap.engine_version = "1.0";
    snap.tags = tags;
    snap.streams.push_back(std::move(stream));
    return repository::save_snapshot(repo, snap);
}

std::map<std::string, std::string> repository_cli_test::files_under(const std::string& relative) const {
    std::map<std::string, std::string> files;
    const fs::path root = repo_dir() / relative;
    if (!fs::exists(root)) return files;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file())
            files[fs::relative(entry.path(), repo_dir()).string()] =
                std::to_string(entry.file_size()) + " bytes, modified " +
                std::to_string(entry.last_write_time().time_since_epoch().count());
    return files;
}

nlohmann::json repository_cli_test::parse_json(const process_result& r) {
    try {
        return nlohmann::json::parse(r.out);
    } catch (const nlohmann::json::exception& e) {
        ADD_FAILURE() << "not JSON (" << e.what() << "):\n" << r.out << "\nstderr: " << r.err;
        return nullptr;
    }
}

}  // namespace holdfast::cli_testing
