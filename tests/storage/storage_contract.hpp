// The storage plugin contract as a reusable GoogleTest suite.
//
// Every storage plugin must pass storage_contract unchanged. A plugin's test
// instantiates it with a way to reach a fresh, empty store:
//
//   INSTANTIATE_TEST_SUITE_P(s3, storage_contract,
//       ::testing::Values(holdfast::testing::storage_backend_factory{"s3", [] {
//           return std::make_unique<my_s3_backend>();  // e.g. a new bucket on a local server
//       }}),
//       holdfast::testing::backend_name);
//
// and links the holdfast_storage_contract object library. The suite talks to
// the plugin through holdfast::client::storage_instance only, so it tests the
// C ABI exactly as the host uses it.
#pragma once

#include <holdfast/client/storage.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::testing {

// One store, empty when created, gone when destroyed.
class storage_backend {
public:
    virtual ~storage_backend() = default;
    // A new handle on this backend's store. Handles opened from one backend
    // see the same objects.
    virtual client::storage_instance open() = 0;
};

struct storage_backend_factory {
    std::string name;  // the instantiation's name: letters, digits, '_'
    std::function<std::unique_ptr<storage_backend>()> create;
};

inline void PrintTo(const storage_backend_factory& factory, std::ostream* out) { *out << factory.name; }

inline std::string backend_name(const ::testing::TestParamInfo<storage_backend_factory>& info) {
    return info.param.name;
}

// Fixture: a fresh backend and one open handle per test.
class storage_contract : public ::testing::TestWithParam<storage_backend_factory> {
protected:
    void SetUp() override {
        backend_ = GetParam().create();
        store_.emplace(backend_->open());
    }
    void TearDown() override {
        store_.reset();
        backend_.reset();
    }
    client::storage_instance& store() { return *store_; }
    storage_backend& backend() { return *backend_; }

private:
    std::unique_ptr<storage_backend> backend_;
    std::optional<client::storage_instance> store_;
};

// ---- helpers shared by the storage tests --------------------------------

using bytes = std::vector<std::byte>;

bytes to_bytes(std::string_view text);

// `size` deterministic pseudo-random bytes, every byte value included
// (NUL and 0xFF too); different seeds give different contents.
bytes pattern(std::size_t size, std::uint32_t seed);

// Run `body`, expect it to throw client::plugin_error with `code`, and
// return the message (empty when nothing or something else was thrown).
std::string expect_status(hf_status code, const std::function<void()>& body);

std::vector<std::string> keys_of(const std::vector<client::object_info>& objects);

}  // namespace holdfast::testing
