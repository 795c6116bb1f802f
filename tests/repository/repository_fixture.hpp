// A fresh repository directory per test, on the real `local` storage plugin loaded through
// the host's catalog from the build tree.
#pragma once

#include "repository/repository.hpp"

#include <holdfast/client/storage.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace holdfast::repository::testing {

// Small but real: scrypt with N = 1024 takes a millisecond; 32 KiB packs give many packs
// from little data.
init_options fast_options(encryption_mode mode = encryption_mode::aes_256_gcm);
inline constexpr scrypt_params fast_kdf{.n = 1024, .r = 8, .p = 1};

std::span<const std::byte> bytes_of(std::string_view text);
std::vector<std::byte> random_blob(std::size_t size, std::uint64_t seed);

class repository_test : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // A new storage handle on the test's directory.
    std::shared_ptr<client::storage_instance> storage() const;
    std::string location() const { return dir_.string(); }
    const std::filesystem::path& dir() const { return dir_; }

    repo init(std::string_view password = "correct horse",
              const init_options& options = fast_options()) const;
    repo open(std::string_view password = "correct horse") const;

    // Keys of every object under `prefix` ("data/", ...).
    std::set<std::string> objects(const std::string& prefix) const;
    std::filesystem::path file_of(const std::string& key) const { return dir_ / key; }

private:
    std::filesystem::path dir_;
};

}  // namespace holdfast::repository::testing
