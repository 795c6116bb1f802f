// Guarantees of the local plugin beyond the shared contract: what is on disk,
// crashes, failures of the file system, symbolic links, settings.
#include "local_backend.hpp"

#include <holdfast/client/storage.hpp>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace holdfast::testing {
namespace {

namespace fs = std::filesystem;
constexpr std::size_t MiB = std::size_t{1} << 20;

bytes read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return to_bytes(text.str());
}

void write_file(const fs::path& file, std::string_view text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
}

// Every ".tmp-*" file below `dir`, symbolic links not followed.
std::vector<fs::path> temp_files_under(const fs::path& dir) {
    std::vector<fs::path> found;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->path().filename().string().starts_with(".tmp-")) found.push_back(it->path());
    return found;
}

// One line per failed call: "<status> <message>", or "ok".
std::string outcome(const std::function<void()>& call) {
    try {
        call();
        return "ok";
    } catch (const client::plugin_error& e) {
        return std::to_string(e.code()) + " " + e.what();
    } catch (const std::exception& e) {
        return std::string("exception ") + e.what();
    }
}

// Run `body` in a forked child and return what it wrote; the child leaves
// with _exit(), so no test state is torn down twice.
std::string run_in_child(const std::function<std::string()>& body) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        ::close(pipe_fds[0]);
        std::string out = body();
        ssize_t ignored = ::write(pipe_fds[1], out.data(), out.size());
        (void)ignored;
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    std::string out;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return out;
}

mode_t mode_of(const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return st.st_mode;
}

class local_storage_test : public ::testing::Test {
protected:
    fs::path root() const { return backend_.root(); }

    local_backend backend_;
    client::storage_instance store_ = backend_.open();
};

// ---- settings ------------------------------------------------------------------

TEST_F(local_storage_test, missing_directory_without_create_is_a_clear_error) {
    const fs::path missing = root() / "missing" / "deeper";
    std::string message = expect_status(HF_ERR_NOT_FOUND, [&] { backend_.open_with(local_settings(missing)); });
    EXPECT_NE(message.find("repository directory '" + missing.string() + "' does not exist"), std::string::npos)
        << message;
    EXPECT_NE(message.find("\"create\": true"), std::string::npos) << message;
    EXPECT_FALSE(fs::exists(root() / "missing"));
}

TEST_F(local_storage_test, create_makes_the_directory_and_its_parents) {
    const fs::path fresh = root() / "new" / "repo";
    client::storage_instance created = backend_.open_with(local_settings(fresh, true));
    created.put("k", to_bytes("v"));
    EXPECT_EQ(read_file(fresh / "k"), to_bytes("v"));
    EXPECT_EQ(mode_of(fresh) & 07777 & ~mode_t{0750}, 0u) << "no access for others";
    // Opening again with create on an existing repository is fine.
    EXPECT_EQ(backend_.open_with(local_settings(fresh, true)).get("k"), to_bytes("v"));
}

TEST_F(local_storage_test, bad_settings_are_refused) {
    const std::string existing = root().string();
    for (std::string settings : {
             std::string("{}"),
             std::string(R"({"path": "relative/dir"})"),
             std::string(R"({"path": ""})"),
             std::string(R"({"path": 5})"),
             R"({"path": ")" + existing + R"(", "create": "yes"})",
             R"({"path": ")" + existing + R"(", "crate": true})",
             std::string("not json"),
             std::string("[]"),
         }) {
        SCOPED_TRACE(settings);
        std::string message = expect_status(HF_ERR_INVALID_ARGUMENT, [&] { backend_.open_with(settings); });
        EXPECT_NE(message.find("local storage settings"), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

TEST_F(local_storage_test, a_path_that_is_a_file_is_refused) {
    write_file(root() / "plain-file", "x");
    std::string message =
        expect_status(HF_ERR_INVALID_ARGUMENT, [&] { backend_.open_with(local_settings(root() / "plain-file")); });
    EXPECT_NE(message.find("is not a directory"), std::string::npos) << message;
}

TEST_F(local_storage_test, path_with_trailing_slash_or_through_a_symbolic_link_works) {
    client::storage_instance slash = backend_.open_with(nlohmann::json{{"path", root().string() + "/"}}.dump());
    slash.put("t", to_bytes("trailing"));
    EXPECT_EQ(read_file(root() / "t"), to_bytes("trailing"));

    // The operator's own path may go through links (only links inside the
    // repository are refused).
    temp_directory elsewhere;
    fs::create_directory_symlink(root(), elsewhere.path() / "repo-link");
    client::storage_instance linked = backend_.open_with(local_settings(elsewhere.path() / "repo-link"));
    EXPECT_EQ(linked.get("t"), to_bytes("trailing"));
}

// ---- layout on disk ----------------------------------------------------------------

TEST_F(local_storage_test, objects_are_plain_files_below_the_root) {
    store_.put("a/b/c", to_bytes("content"));
    EXPECT_EQ(read_file(root() / "a" / "b" / "c"), to_bytes("content"));
    EXPECT_TRUE(S_ISREG(mode_of(root() / "a/b/c")));
    // Backups are private: umask may remove more, never add.
    EXPECT_EQ(mode_of(root() / "a/b/c") & 07777 & ~mode_t{0640}, 0u);
    EXPECT_EQ(mode_of(root() / "a/b") & 07777 & ~mode_t{0750}, 0u);
    EXPECT_TRUE(temp_files_under(root()).empty());
}

// Objects from 1 MiB on are written with O_DIRECT in aligned pieces of 1 MiB, the last
// one padded and cut back: every size must come back exactly, on disk and through get().
TEST_F(local_storage_test, large_objects_written_past_the_page_cache_keep_their_exact_size) {
    const std::size_t sizes[] = {MiB - 1, MiB, MiB + 1, 3 * MiB + 4095, 8 * MiB, 8 * MiB + 4096, 17 * MiB + 123};
    std::uint32_t seed = 10;
    for (const std::size_t size : sizes) {
        SCOPED_TRACE(size);
        const bytes content = pattern(size, ++seed);
        store_.put("packs/p" + std::to_string(size), content);
        EXPECT_EQ(fs::file_size(root() / "packs" / ("p" + std::to_string(size))), size);
        EXPECT_TRUE(read_file(root() / "packs" / ("p" + std::to_string(size))) == content);
        EXPECT_TRUE(store_.get("packs/p" + std::to_string(size)) == content);
    }
    // Replacing a large object with a shorter one leaves no tail of the old.
    const bytes shorter = pattern(2 * MiB + 7, 99);
    store_.put("packs/p" + std::to_string(17 * MiB + 123), shorter);
    EXPECT_TRUE(store_.get("packs/p" + std::to_string(17 * MiB + 123)) == shorter);
    EXPECT_TRUE(temp_files_under(root()).empty());
}

TEST_F(local_storage_test, files_placed_by_others_are_objects) {
    // A repository copied in with rsync or cp must be readable as is.
    fs::create_directories(root() / "ext" / "sub");
    write_file(root() / "ext" / "sub" / "file", "copied in");
    write_file(root() / "ext" / "back\\slash", "no valid key names this");
    EXPECT_EQ(store_.get("ext/sub/file"), to_bytes("copied in"));
    EXPECT_EQ(keys_of(store_.list("")), std::vector<std::string>{"ext/sub/file"});
}

TEST_F(local_storage_test, special_files_and_directories_are_not_objects) {
    ASSERT_EQ(::mkfifo((root() / "fifo").c_str(), 0600), 0);
    fs::create_directory(root() / "empty-dir");
    // O_NONBLOCK: opening the FIFO must not wait for a writer.
    expect_status(HF_ERR_NOT_FOUND, [&] { store_.get("fifo"); });
    EXPECT_FALSE(store_.stat("fifo").has_value());
    expect_status(HF_ERR_NOT_FOUND, [&] { store_.get("empty-dir"); });
    EXPECT_TRUE(store_.list("").empty());
}

TEST_F(local_storage_test, key_segments_longer_than_a_file_name_are_refused) {
    std::string message =
        expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store_.put("d/" + std::string(256, 'n'), to_bytes("x")); });
    EXPECT_NE(message.find("255"), std::string::npos) << message;
    EXPECT_NO_THROW(store_.put("d/" + std::string(255, 'n'), to_bytes("x")));
}

TEST_F(local_storage_test, unknown_put_flags_are_refused) {
    // A flag from a newer ABI changes what put means; ignoring it would be wrong.
    std::string message = expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store_.put("k", to_bytes("x"), 1u << 7); });
    EXPECT_NE(message.find("flags"), std::string::npos) << message;
    EXPECT_FALSE(store_.stat("k").has_value());
}

// ---- atomicity and crashes -------------------------------------------------------------

TEST_F(local_storage_test, a_put_killed_midway_leaves_the_old_object) {
    const bytes old_content = pattern(4096, 1);
    store_.put("victim", old_content);
    constexpr std::size_t big = 128 * MiB;

    int killed_before_rename = 0;
    for (int attempt = 0; attempt < 3 && killed_before_rename == 0; ++attempt) {
        pid_t pid = ::fork();
        ASSERT_GE(pid, 0) << std::strerror(errno);
        if (pid == 0) {
            bytes data(big, std::byte{0x5a});
            try {
                store_.put("victim", data);
            } catch (...) {
                ::_exit(2);
            }
            ::_exit(0);
        }
        // Kill the child as soon as its temporary file shows up.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        bool saw_temp = false;
        while (!saw_temp && std::chrono::steady_clock::now() < deadline) {
            saw_temp = !temp_files_under(root()).empty();
            if (!saw_temp) std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        ASSERT_TRUE(saw_temp) << "the child never started writing";
        ASSERT_TRUE(WIFSIGNALED(status)) << "the put finished before it could be killed";

        // Whatever the moment of death: the old object or the whole new one.
        bytes now = store_.get("victim");
        if (now == old_content) ++killed_before_rename;
        else EXPECT_TRUE(now.size() == big && now == bytes(big, std::byte{0x5a})) << now.size() << " bytes";
        auto listed = store_.list("");
        ASSERT_EQ(keys_of(listed), std::vector<std::string>{"victim"});
        EXPECT_EQ(listed[0].size, now.size());
        // The dead writer's temporary file may remain; it is never an object.
        for (const auto& leftover : temp_files_under(root())) fs::remove(leftover);
        store_.put("victim", old_content);
    }
    EXPECT_GT(killed_before_rename, 0);
}

TEST_F(local_storage_test, a_failed_rename_removes_the_temporary_file) {
    // Fault injection: a directory where the object should go makes the final
    // rename fail after the data was written and synced.
    fs::create_directories(root() / "a");
    write_file(root() / "a" / "inside", "keep me");
    std::string message = expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store_.put("a", pattern(MiB, 1)); });
    EXPECT_NE(message.find("'" + (root() / "a").string() + "'"), std::string::npos) << message;
    EXPECT_NE(message.find("[21] Is a directory"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_TRUE(temp_files_under(root()).empty());
    EXPECT_EQ(read_file(root() / "a" / "inside"), to_bytes("keep me"));
}

TEST_F(local_storage_test, temporary_files_are_never_listed_nor_addressable) {
    // Leftovers of a crashed writer.
    write_file(root() / ".tmp-leftover", "partial");
    fs::create_directories(root() / "d");
    write_file(root() / "d" / ".tmp-0123456789abcdef", "partial");
    store_.put("d/real", to_bytes("real"));
    store_.put(".tmp", to_bytes("not reserved"));  // only ".tmp-" is
    EXPECT_EQ(keys_of(store_.list("")), (std::vector<std::string>{".tmp", "d/real"}));
    EXPECT_EQ(keys_of(store_.list(".tmp-")), std::vector<std::string>{});
    EXPECT_EQ(keys_of(store_.list("d/.tmp")), std::vector<std::string>{});

    std::string message = expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store_.get(".tmp-leftover"); });
    EXPECT_NE(message.find("reserved"), std::string::npos) << message;
    expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store_.put("d/.tmp-0123456789abcdef", to_bytes("x")); });
    expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store_.stat(".tmp-leftover"); });
    expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store_.remove(".tmp-leftover"); });
    EXPECT_EQ(read_file(root() / ".tmp-leftover"), to_bytes("partial"));
}

TEST_F(local_storage_test, a_put_in_progress_is_invisible_to_list) {
    std::atomic<bool> done = false;
    std::thread writer([&] {
        for (int i = 0; i < 6; ++i) store_.put("big/" + std::to_string(i), pattern(16 * MiB, static_cast<std::uint32_t>(i)));
        done = true;
    });
    int listings = 0;
    while (!done) {
        for (const auto& o : store_.list("")) {
            EXPECT_FALSE(o.key.find(".tmp-") != std::string::npos) << o.key;
            EXPECT_EQ(o.size, 16 * MiB) << o.key << ": a partial object was listed";
        }
        ++listings;
    }
    writer.join();
    EXPECT_GT(listings, 0);
    EXPECT_EQ(store_.list("big/").size(), 6u);
}

// ---- failures of the file system -----------------------------------------------------

// A small tmpfs, mounted for the test when the process may (root in a
// container or VM usually may).
class tmpfs_mount {
public:
    tmpfs_mount(const fs::path& where, const std::string& options) : path_(where) {
        fs::create_directories(where);
        if (::mount("tmpfs", where.c_str(), "tmpfs", 0, options.c_str()) == 0) mounted_ = true;
        else error_ = std::strerror(errno);
    }
    tmpfs_mount(const tmpfs_mount&) = delete;
    tmpfs_mount& operator=(const tmpfs_mount&) = delete;
    ~tmpfs_mount() {
        if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
    }
    bool mounted() const { return mounted_; }
    const std::string& error() const { return error_; }
    bool remount_read_only() {
        return ::mount(nullptr, path_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0;
    }

private:
    fs::path path_;
    bool mounted_ = false;
    std::string error_;
};

TEST_F(local_storage_test, a_full_disk_is_no_space_and_leaves_nothing_partial) {
    tmpfs_mount disk(root() / "disk", "size=1m,mode=0700");
    if (!disk.mounted()) GTEST_SKIP() << "cannot mount a 1 MiB tmpfs to fill (needs CAP_SYS_ADMIN): " << disk.error();
    {
        client::storage_instance small = backend_.open_with(local_settings(root() / "disk"));
        const bytes old_content = pattern(300 * 1024, 1);
        small.put("keep", old_content);

        std::string message = expect_status(HF_ERR_NO_SPACE, [&] { small.put("keep", pattern(2 * MiB, 2)); });
        EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
        EXPECT_NE(message.find((root() / "disk").string()), std::string::npos) << message;
        EXPECT_EQ(small.get("keep"), old_content);
        EXPECT_TRUE(temp_files_under(root() / "disk").empty());

        expect_status(HF_ERR_NO_SPACE, [&] { small.put("new/deep/object", pattern(2 * MiB, 3)); });
        EXPECT_FALSE(small.stat("new/deep/object").has_value());
        EXPECT_TRUE(temp_files_under(root() / "disk").empty());
        // The failed writes gave their space back.
        EXPECT_NO_THROW(small.put("after", pattern(300 * 1024, 4)));
        EXPECT_EQ(keys_of(small.list("")), (std::vector<std::string>{"after", "keep"}));
    }
}

TEST_F(local_storage_test, a_read_only_file_system_is_a_permission_error) {
    tmpfs_mount disk(root() / "ro", "size=1m,mode=0700");
    if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs (needs CAP_SYS_ADMIN): " << disk.error();
    client::storage_instance store = backend_.open_with(local_settings(root() / "ro"));
    store.put("x", to_bytes("before"));
    ASSERT_TRUE(disk.remount_read_only()) << std::strerror(errno);
    std::string message = expect_status(HF_ERR_PERMISSION, [&] { store.put("x", to_bytes("after")); });
    EXPECT_NE(message.find("Read-only file system"), std::string::npos) << message;
    EXPECT_EQ(store.get("x"), to_bytes("before"));
}

TEST_F(local_storage_test, permission_denied_is_reported_and_cleans_up) {
    const bytes old_content = to_bytes("old");
    store_.put("victim", old_content);
    // Root ignores permission bits, so the denied writer runs as "nobody" in
    // a child process; any other user is simply locked out of the directory.
    const bool as_root = ::geteuid() == 0;
    if (!as_root) fs::permissions(root(), fs::perms::owner_read | fs::perms::owner_exec);
    std::string out = run_in_child([&] {
        if (as_root && (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0))
            return std::string("cannot drop privileges: ") + std::strerror(errno);
        return outcome([&] { store_.put("victim", to_bytes("new")); }) + "\n" +
               outcome([&] { store_.get("victim"); }) + "\n";
    });
    if (!as_root) fs::permissions(root(), fs::perms::owner_all);
    if (out.starts_with("cannot drop privileges")) GTEST_SKIP() << out;

    std::istringstream lines(out);
    std::string put_line, get_line;
    std::getline(lines, put_line);
    std::getline(lines, get_line);
    for (const std::string& line : {put_line, get_line}) {
        SCOPED_TRACE(line);
        EXPECT_TRUE(line.starts_with(std::to_string(HF_ERR_PERMISSION) + " "));
        EXPECT_NE(line.find(root().string()), std::string::npos);
        EXPECT_NE(line.find("[13] Permission denied"), std::string::npos);
    }
    EXPECT_EQ(store_.get("victim"), old_content);
    EXPECT_TRUE(temp_files_under(root()).empty());
}

// ---- symbolic links ----------------------------------------------------------------------

class local_symlink_test : public local_storage_test {
protected:
    void SetUp() override {
        write_file(outside_.path() / "secret", "outside the repository");
        fs::create_directory_symlink(outside_.path(), root() / "escape");
        fs::create_symlink(outside_.path() / "secret", root() / "link");
    }
    temp_directory outside_;
};

TEST_F(local_symlink_test, a_directory_link_cannot_be_read_through) {
    std::string message = expect_status(HF_ERR_PERMISSION, [&] { store_.get("escape/secret"); });
    EXPECT_NE(message.find("symbolic link '" + (root() / "escape").string() + "'"), std::string::npos) << message;
    expect_status(HF_ERR_PERMISSION, [&] { store_.stat("escape/secret"); });
    expect_status(HF_ERR_PERMISSION, [&] { store_.remove("escape/secret"); });
    EXPECT_TRUE(fs::exists(outside_.path() / "secret"));
}

TEST_F(local_symlink_test, a_directory_link_cannot_be_written_through) {
    expect_status(HF_ERR_PERMISSION, [&] { store_.put("escape/planted", to_bytes("x")); });
    expect_status(HF_ERR_PERMISSION, [&] { store_.put("escape/new/deeper", to_bytes("x")); });
    EXPECT_FALSE(fs::exists(outside_.path() / "planted"));
    EXPECT_FALSE(fs::exists(outside_.path() / "new"));
}

TEST_F(local_symlink_test, a_file_link_is_not_an_object) {
    std::string message = expect_status(HF_ERR_PERMISSION, [&] { store_.get("link"); });
    EXPECT_NE(message.find("symbolic link"), std::string::npos) << message;
    expect_status(HF_ERR_PERMISSION, [&] { store_.stat("link"); });
    EXPECT_TRUE(store_.list("").empty());
}

TEST_F(local_symlink_test, put_replaces_a_file_link_instead_of_writing_through_it) {
    store_.put("link", to_bytes("inside"));
    EXPECT_TRUE(S_ISREG(mode_of(root() / "link")));
    EXPECT_EQ(store_.get("link"), to_bytes("inside"));
    EXPECT_EQ(read_file(outside_.path() / "secret"), to_bytes("outside the repository"));
}

TEST_F(local_symlink_test, remove_removes_the_link_not_its_target) {
    store_.remove("link");
    EXPECT_FALSE(fs::exists(fs::symlink_status(root() / "link")));
    EXPECT_EQ(read_file(outside_.path() / "secret"), to_bytes("outside the repository"));
}

TEST_F(local_symlink_test, a_relative_link_up_the_tree_is_refused) {
    fs::create_directories(root() / "d");
    fs::create_directory_symlink("../..", root() / "d" / "up");
    expect_status(HF_ERR_PERMISSION, [&] { store_.get("d/up/etc/passwd"); });
    expect_status(HF_ERR_PERMISSION, [&] { store_.put("d/up/planted", to_bytes("x")); });
    EXPECT_TRUE(store_.list("").empty());
}

// ---- reads and cancellation ----------------------------------------------------------

TEST_F(local_storage_test, reads_are_delivered_in_bounded_pieces) {
    const bytes data = pattern(3 * MiB + 1, 9);
    store_.put("big", data);
    std::vector<std::size_t> pieces;
    bytes joined;
    store_.get("big", 0, HF_WHOLE_OBJECT, [&](std::span<const std::byte> piece) {
        pieces.push_back(piece.size());
        joined.insert(joined.end(), piece.begin(), piece.end());
    });
    EXPECT_TRUE(joined == data);
    EXPECT_EQ(pieces.size(), 4u);
    for (std::size_t size : pieces) EXPECT_LE(size, MiB);
}

TEST_F(local_storage_test, cancellation_stops_reads_and_writes_cleanly) {
    store_.put("present", pattern(2 * MiB, 1));
    backend_.host().cancel(true);
    expect_status(HF_ERR_CANCELLED, [&] { store_.get("present"); });
    expect_status(HF_ERR_CANCELLED, [&] { store_.put("partial", pattern(2 * MiB, 2)); });
    backend_.host().cancel(false);
    EXPECT_FALSE(store_.stat("partial").has_value());
    EXPECT_TRUE(temp_files_under(root()).empty());
    EXPECT_EQ(store_.get("present").size(), 2 * MiB);
}

// ---- the manifest ------------------------------------------------------------------------

TEST(local_manifest, describes_the_library_next_to_it) {
    std::ifstream in(HOLDFAST_LOCAL_MANIFEST);
    ASSERT_TRUE(in) << HOLDFAST_LOCAL_MANIFEST;
    nlohmann::json manifest = nlohmann::json::parse(in);
    const hf_plugin_descriptor& d = *local_plugin().descriptor;
    EXPECT_EQ(manifest["name"], d.name);
    EXPECT_EQ(manifest["kind"], "storage");
    EXPECT_EQ(manifest["version"], d.version);
    EXPECT_EQ(manifest["abi_version"],
              std::to_string(HF_ABI_VERSION_MAJOR) + "." + std::to_string(HF_ABI_VERSION_MINOR));
    EXPECT_EQ(fs::path(HOLDFAST_LOCAL_MANIFEST).parent_path() / manifest["library_path"].get<std::string>(),
              fs::path(HOLDFAST_LOCAL_PLUGIN));
    EXPECT_EQ(manifest["schemes"], nlohmann::json::array({"file"}));
    for (const char* capability : {"atomic-put", "ranged-get", "put-if-absent"})
        EXPECT_NE(std::find(manifest["capabilities"].begin(), manifest["capabilities"].end(), capability),
                  manifest["capabilities"].end())
            << capability;
    EXPECT_EQ(manifest["settings"]["required"], nlohmann::json::array({"path"}));
    EXPECT_EQ(manifest["settings"]["properties"]["create"]["default"], false);
    // What the manifest promises, the library advertises.
    const std::uint64_t features = local_plugin().functions->features;
    EXPECT_NE(features & HF_STORAGE_FEATURE_PUT_IF_ABSENT, 0u);
    EXPECT_NE(features & HF_STORAGE_FEATURE_RANGED_GET, 0u);
}

}  // namespace
}  // namespace holdfast::testing
