#include "cli_fixture.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <array>
#include <cstring>
#include <fstream>
#include <random>

namespace holdfast::pipeline::testing {

namespace fs = std::filesystem;

namespace {

std::uint64_t splitmix(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
}

}  // namespace

void cli_test::SetUp() {
    std::random_device random;
    dir_ = fs::temp_directory_path() /
           ("holdfast-pipeline-cli-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
    fs::create_directories(dir_);
    repo_ = dir_ / "repo";
}

void cli_test::TearDown() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

holdfast::testing::process_result cli_test::run(std::vector<std::string> args) const {
    return holdfast::testing::run_process(command_line(std::move(args)), environment());
}

holdfast::testing::process_result cli_test::run_killed_after(std::vector<std::string> args,
                                                             std::chrono::milliseconds delay) const {
    // coreutils' timeout sends SIGKILL to holdfast itself: no handler runs, nothing is
    // flushed or cleaned up, as when a machine loses power under a running backup.
    const std::string seconds = std::to_string(std::chrono::duration<double>(delay).count());
    std::vector<std::string> full{"/usr/bin/timeout", "--signal=KILL", seconds + "s"};
    const auto command = command_line(std::move(args));
    full.insert(full.end(), command.begin(), command.end());
    return holdfast::testing::run_process(full, environment());
}

std::vector<std::string> cli_test::command_line(std::vector<std::string> args) const {
    std::vector<std::string> full{holdfast::testing::holdfast_exe(), "--plugin-path", HOLDFAST_PLUGIN_DIR};
    if (!config_.empty()) full.insert(full.end(), {"--config", config_.string()});
    full.insert(full.end(), args.begin(), args.end());
    return full;
}

holdfast::testing::process_options cli_test::environment() const {
    holdfast::testing::process_options options;
    // Nothing of the machine or the developer's environment may leak in.
    for (const char* name : {"HOLDFAST_CONFIG", "HOLDFAST_LOG", "HOLDFAST_PLUGIN_PATH", "HOLDFAST_ADD_PLUGIN_PATH",
                             "XDG_CONFIG_HOME", "XDG_DATA_HOME"})
        options.env[name] = std::nullopt;
    options.env["HOLDFAST_PASSWORD"] = "pipeline test password";
    options.env["HOLDFAST_REPOSITORY"] = repo_.string();
    options.env["HOME"] = dir_.string();
    options.working_directory = dir_.string();
    return options;
}

holdfast::testing::process_result cli_test::ok(std::vector<std::string> args) const {
    std::string line;
    for (const auto& a : args) line += " " + a;
    auto result = run(std::move(args));
    EXPECT_EQ(result.exit_code, 0) << "holdfast" << line << "\nstdout: " << result.out << "\nstderr: " << result.err;
    return result;
}

void cli_test::write_config(const std::string& sources_yaml) {
    config_ = dir_ / "holdfast.yaml";
    std::ofstream(config_) << "sources:\n" << sources_yaml;
}

// A cheap key slot (scrypt N = 1024): every command opens it.
void cli_test::init_repository() const { ok({"init", "--kdf-n", "1024"}); }

std::uintmax_t cli_test::repository_bytes() const {
    std::uintmax_t total = 0;
    for (const auto& entry : fs::recursive_directory_iterator(repo_))
        if (entry.is_regular_file()) total += entry.file_size();
    return total;
}

std::size_t cli_test::snapshot_count() const {
    const auto dir = repo_ / "snapshots";
    if (!fs::exists(dir)) return 0;
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

void write_test_data(const fs::path& file, std::uint64_t size, std::uint64_t seed) {
    static constexpr std::array<std::string_view, 12> words{"order",  "shipped", "customer", "invoice",
                                                            "paid",   "Berlin",  "Osaka",    "returned",
                                                            "note",   "express", "fragile",  "cancelled"};
    std::uint64_t state = seed;
    std::vector<std::string> fragments(4096);
    for (auto& f : fragments) {
        f = std::string(words[splitmix(state) % words.size()]) + "\t" + std::to_string(splitmix(state) % 100000) +
            (splitmix(state) % 4 == 0 ? "\n" : "\t");
    }
    std::ofstream out(file, std::ios::binary);
    std::string buffer;
    buffer.reserve(1 << 20);
    std::uint64_t written = 0;
    while (written < size) {
        buffer.clear();
        while (buffer.size() < (1u << 20) - 64) buffer += fragments[splitmix(state) % fragments.size()];
        const auto n = std::min<std::uint64_t>(buffer.size(), size - written);
        out.write(buffer.data(), static_cast<std::streamsize>(n));
        written += n;
    }
}

void write_random_data(const fs::path& file, std::uint64_t size, std::uint64_t seed) {
    std::uint64_t state = seed;
    std::ofstream out(file, std::ios::binary);
    std::vector<char> buffer(1 << 20);
    std::uint64_t written = 0;
    while (written < size) {
        for (std::size_t i = 0; i < buffer.size(); i += 8) {
            const std::uint64_t word = splitmix(state);
            std::memcpy(buffer.data() + i, &word, 8);
        }
        const auto n = std::min<std::uint64_t>(buffer.size(), size - written);
        out.write(buffer.data(), static_cast<std::streamsize>(n));
        written += n;
    }
}

std::string file_content(const fs::path& file) {
    std::string text(fs::file_size(file), '\0');
    std::ifstream(file, std::ios::binary).read(text.data(), static_cast<std::streamsize>(text.size()));
    return text;
}

bool same_content(const fs::path& a, const fs::path& b) {
    if (!fs::exists(a) || !fs::exists(b) || fs::file_size(a) != fs::file_size(b)) return false;
    std::ifstream ia(a, std::ios::binary), ib(b, std::ios::binary);
    std::vector<char> ba(1 << 20), bb(1 << 20);
    while (ia && ib) {
        ia.read(ba.data(), static_cast<std::streamsize>(ba.size()));
        ib.read(bb.data(), static_cast<std::streamsize>(bb.size()));
        if (ia.gcount() != ib.gcount()) return false;
        if (std::memcmp(ba.data(), bb.data(), static_cast<std::size_t>(ia.gcount())) != 0) return false;
    }
    return true;
}

std::string quoted(const fs::path& path) { return nlohmann::json(path.string()).dump(); }

}  // namespace holdfast::pipeline::testing
