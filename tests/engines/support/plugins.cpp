#include "support/plugins.hpp"

#include "plugins/catalog.hpp"

namespace holdfast::testing {

namespace {
holdfast::plugins::catalog& build_tree_catalog() {
    static holdfast::plugins::catalog catalog =
        holdfast::plugins::catalog::discover({HOLDFAST_TEST_PLUGIN_DIR}, holdfast::plugins::plugin_policy{});
    return catalog;
}
}  // namespace

const hf_engine_functions& engine_functions(std::string_view name) { return build_tree_catalog().engine(name); }

client::engine_instance open_engine(std::string_view name, const std::string& settings_json,
                                    const hf_host_services* host) {
    return client::engine_instance(&engine_functions(name), settings_json, host);
}

}  // namespace holdfast::testing
