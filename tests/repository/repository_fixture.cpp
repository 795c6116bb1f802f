#include "repository_fixture.hpp"

#include "plugins/catalog.hpp"
#include "repository/crypto.hpp"
#include "sample_data.hpp"

#include <nlohmann/json.hpp>

namespace holdfast::repository::testing {

namespace {

plugins::catalog& build_tree_catalog() {
    static plugins::catalog catalog =
        plugins::catalog::discover({HOLDFAST_TEST_PLUGIN_DIR}, plugins::plugin_policy{});
    return catalog;
}

}  // namespace

init_options fast_options(encryption_mode mode) {
    init_options options;
    options.parameters.pack_size = 32 * 1024;
    options.parameters.encryption = mode;
    options.kdf = fast_kdf;
    return options;
}

std::span<const std::byte> bytes_of(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

std::vector<std::byte> random_blob(std::size_t size, std::uint64_t seed) {
    return test_data::random_stream(size, seed);
}

void repository_test::SetUp() {
    dir_ = std::filesystem::temp_directory_path() /
           ("holdfast-repository-test-" + to_hex(random_bytes(8)));
}

void repository_test::TearDown() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::shared_ptr<client::storage_instance> repository_test::storage() const {
    const nlohmann::json settings = {{"path", dir_.string()}, {"create", true}};
    return std::make_shared<client::storage_instance>(
        build_tree_catalog().open_storage("local", settings.dump()));
}

repo repository_test::init(std::string_view password, const init_options& options) const {
    return repo::init(storage(), location(), password, options);
}

repo repository_test::open(std::string_view password) const {
    return repo::open(storage(), location(), password);
}

std::set<std::string> repository_test::objects(const std::string& prefix) const {
    std::set<std::string> keys;
    storage()->list(prefix, [&](const client::object_info& info) { keys.insert(info.key); });
    return keys;
}

}  // namespace holdfast::repository::testing
