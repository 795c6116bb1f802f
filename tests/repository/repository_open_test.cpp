// init and open: the config object, key slots and the messages a user sees.
#include "repository_fixture.hpp"

#include "repository/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace holdfast::repository::testing {
namespace {

void write_file(const std::filesystem::path& path, const std::string& content) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string read_file(const std::filesystem::path& path) {
    std::string text(std::filesystem::file_size(path), '\0');
    std::ifstream(path, std::ios::binary).read(text.data(), static_cast<std::streamsize>(text.size()));
    return text;
}

template <typename Error, typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

using open_test = repository_test;

TEST_F(open_test, InitThenOpenRoundTrip) {
    const repo created = init();
    EXPECT_TRUE(created.encrypted());
    EXPECT_EQ(objects("keys/").size(), 1u);
    EXPECT_EQ(objects("config").size(), 1u);

    const repo opened = open();
    EXPECT_EQ(opened.config().id, created.config().id);
    EXPECT_EQ(opened.config().parameters.pack_size, 32u * 1024);
    EXPECT_EQ(opened.config().parameters.chunk_avg, 256u * 1024);
    EXPECT_EQ(opened.config().parameters.zstd_level, 1);
    ASSERT_NE(opened.key(), nullptr);
    EXPECT_TRUE(std::ranges::equal(opened.key()->encryption.bytes(), created.key()->encryption.bytes()));
    EXPECT_TRUE(std::ranges::equal(opened.key()->id_key.bytes(), created.key()->id_key.bytes()));
    EXPECT_EQ(opened.key_slot(), created.key_slot());
    // The gear table comes from the master key, not the public default.
    EXPECT_EQ(opened.chunker().gear_seed, created.key()->chunker_seed);
    EXPECT_NE(opened.chunker().gear_seed, default_gear_seed);

    const auto config = nlohmann::json::parse(read_file(file_of("config")));
    EXPECT_EQ(config["format"], "holdfast-repository");
    EXPECT_EQ(config["version"], 1);
    EXPECT_EQ(config["encryption"], "aes-256-gcm");
    EXPECT_EQ(config["chunker"]["min"], 65536);
    EXPECT_EQ(config["chunker"]["max"], 2097152);
    const auto slot = nlohmann::json::parse(read_file(file_of("keys/" + created.key_slot()->hex())));
    EXPECT_EQ(slot["kdf"]["n"], 1024);
    EXPECT_EQ(slot["kdf"]["name"], "scrypt");
}

TEST_F(open_test, DefaultsAreTheMeasuredOnes) {
    const repository_parameters defaults;
    EXPECT_EQ(defaults.chunk_min, 64u * 1024);
    EXPECT_EQ(defaults.chunk_avg, 256u * 1024);
    EXPECT_EQ(defaults.chunk_max, 2u * 1024 * 1024);
    EXPECT_EQ(defaults.zstd_level, 1);
    EXPECT_EQ(defaults.pack_size, 16u * 1024 * 1024);
    EXPECT_EQ(defaults.encryption, encryption_mode::aes_256_gcm);
    EXPECT_EQ(init_options{}.kdf.n, 32768u);
}

TEST_F(open_test, InitOverAnExistingRepositoryIsRefused) {
    init();
    const auto keys_before = objects("keys/");
    EXPECT_EQ(error_of<repository_error>([&] { init("another password"); }),
              "a repository already exists at " + location() +
                  "; use it, or choose another location for a new one");
    EXPECT_EQ(objects("keys/"), keys_before);
    open();  // still opens with the first password
}

TEST_F(open_test, InitNeedsAPasswordAndSaneParameters) {
    EXPECT_THROW(init(""), usage_error);
    init_options bad = fast_options();
    bad.parameters.chunk_avg = 100000;  // not a power of two
    EXPECT_THROW(init("pw", bad), usage_error);
    bad = fast_options();
    bad.parameters.pack_size = 10;
    EXPECT_THROW(init("pw", bad), usage_error);
    EXPECT_TRUE(objects("").empty());
}

TEST_F(open_test, OpenOfAMissingRepository) {
    const auto s = storage();  // creates the empty directory
    EXPECT_EQ(error_of<repository_error>([&] { open(); }),
              "no repository at " + location() + "; create one with 'holdfast init'");
}

TEST_F(open_test, OpenOfSomethingElse) {
    const auto s = storage();
    write_file(file_of("config"), "[core]\n\trepositoryformatversion = 0\n");
    EXPECT_EQ(error_of<repository_error>([&] { open(); }),
              location() + " is not a holdfast repository: its 'config' object is not a JSON "
                           "object; check the repository location");
    write_file(file_of("config"), R"({"format": "restic", "version": 2})");
    EXPECT_EQ(error_of<repository_error>([&] { open(); }),
              location() + " is not a holdfast repository: its 'config' object does not have "
                           "\"format\": \"holdfast-repository\"; check the repository location");
}

TEST_F(open_test, OpenOfAFutureVersion) {
    init();
    auto config = nlohmann::json::parse(read_file(file_of("config")));
    config["version"] = 2;
    write_file(file_of("config"), config.dump());
    EXPECT_EQ(error_of<repository_error>([&] { open(); }),
              "repository format version 2 is newer than this holdfast supports (1); upgrade "
              "holdfast");
}

TEST_F(open_test, DamagedConfigIsNamed) {
    init();
    auto config = nlohmann::json::parse(read_file(file_of("config")));
    config["chunker"].erase("max");
    write_file(file_of("config"), config.dump());
    const std::string message = error_of<corruption_error>([&] { open(); });
    EXPECT_TRUE(message.starts_with("the 'config' object of " + location() + " is damaged: "))
        << message;
}

TEST_F(open_test, WrongPassword) {
    init("right");
    try {
        open("wrong");
        FAIL() << "opened with the wrong password";
    } catch (const wrong_password_error& e) {
        EXPECT_STREQ(e.what(), "wrong password: no key slot of this repository opens with it");
        EXPECT_EQ(e.code(), exit_code::failure);
    }
}

TEST_F(open_test, ADamagedKeySlotDoesNotHideTheOthers) {
    const repo r = init("first");
    write_file(file_of("keys/" + std::string(64, 'a')), "garbage");
    EXPECT_NO_THROW(open("first"));
    EXPECT_THROW(open("second"), wrong_password_error);
}

TEST_F(open_test, UnencryptedConfigNextToKeySlotsIsRefused) {
    init();
    auto config = nlohmann::json::parse(read_file(file_of("config")));
    config["encryption"] = "none";
    write_file(file_of("config"), config.dump());
    const std::string message = error_of<repository_error>([&] { open(); });
    EXPECT_NE(message.find("says the repository is unencrypted, but it has key slots"),
              std::string::npos)
        << message;
}

TEST_F(open_test, UnencryptedRepositoryHasNoKeys) {
    const repo created = init("", fast_options(encryption_mode::none));
    EXPECT_FALSE(created.encrypted());
    EXPECT_TRUE(objects("keys/").empty());
    const repo opened = open("ignored");
    EXPECT_EQ(opened.key(), nullptr);
    EXPECT_EQ(opened.chunker().gear_seed, default_gear_seed);
}

}  // namespace
}  // namespace holdfast::repository::testing
