// The ABI layout as C and C++ see it, and the struct_size every C++ helper
// writes. The headers already pin sizes with static asserts; this checks the
// two languages agree and that no helper fills a struct with a stale size.
#include "abi_c.h"

#include <holdfast/client/common.hpp>
#include <holdfast/plugin/engine.hpp>
#include <holdfast/plugin/storage.hpp>

#include <gtest/gtest.h>

namespace {

namespace hp = holdfast::plugin;

TEST(Layout, CAndCxxAgree) {
    EXPECT_EQ(abi_c_sizeof("hf_error"), sizeof(hf_error));
    EXPECT_EQ(abi_c_sizeof("hf_host_services"), sizeof(hf_host_services));
    EXPECT_EQ(abi_c_sizeof("hf_init_args"), sizeof(hf_init_args));
    EXPECT_EQ(abi_c_sizeof("hf_plugin_descriptor"), sizeof(hf_plugin_descriptor));
    EXPECT_EQ(abi_c_sizeof("hf_stream_sink"), sizeof(hf_stream_sink));
    EXPECT_EQ(abi_c_sizeof("hf_stream_source"), sizeof(hf_stream_source));
    EXPECT_EQ(abi_c_sizeof("hf_engine_functions"), sizeof(hf_engine_functions));
    EXPECT_EQ(abi_c_sizeof("hf_object_info"), sizeof(hf_object_info));
    EXPECT_EQ(abi_c_sizeof("hf_storage_functions"), sizeof(hf_storage_functions));
    EXPECT_EQ(abi_c_offsetof_engine_detect(), offsetof(hf_engine_functions, detect));
    EXPECT_EQ(abi_c_offsetof_engine_clone(), offsetof(hf_engine_functions, clone));
    EXPECT_EQ(abi_c_offsetof_storage_remove(), offsetof(hf_storage_functions, remove));
    EXPECT_EQ(abi_c_offsetof_source_seek(), offsetof(hf_stream_source, seek));
}

#if defined(__LP64__)
// The released layout (1.0, plus clone appended in 1.1 and the source's seek in 1.2), restated
// so a change shows up as a test diff too.
TEST(Layout, PinnedOn64Bit) {
    EXPECT_EQ(sizeof(hf_error), 1032u);
    EXPECT_EQ(sizeof(hf_host_services), 40u);
    EXPECT_EQ(sizeof(hf_init_args), 16u);
    EXPECT_EQ(sizeof(hf_plugin_descriptor), 48u);
    EXPECT_EQ(sizeof(hf_stream_sink), 48u);
    EXPECT_EQ(sizeof(hf_stream_source), 64u);
    EXPECT_EQ(offsetof(hf_stream_source, seek), 56u);  // ABI 1.2: the end of the 1.1 struct
    EXPECT_EQ(sizeof(hf_engine_functions), 72u);
    EXPECT_EQ(offsetof(hf_engine_functions, detect), 56u);
    EXPECT_EQ(offsetof(hf_engine_functions, clone), 64u);  // ABI 1.1: the end of the 1.0 table
    EXPECT_EQ(sizeof(hf_object_info), 24u);
    EXPECT_EQ(sizeof(hf_storage_functions), 72u);
}
#endif

TEST(StructSize, ErrorsMadeByBothSides) {
    EXPECT_EQ(hp::make_error().struct_size, sizeof(hf_error));
    EXPECT_EQ(holdfast::client::make_error().struct_size, sizeof(hf_error));
    EXPECT_EQ(hp::make_error().code, HF_OK);
    EXPECT_STREQ(hp::make_error().message, "");
}

struct bare_engine : hp::engine {
    bare_engine(std::string_view, hp::host_services) {}
    std::string probe() override { return "{}"; }
    void backup(std::string_view, hp::backup_sink&) override {}
    std::string restore(std::string_view, hp::restore_source&) override { return "{}"; }
};

struct bare_storage : hp::storage {
    bare_storage(std::string_view, hp::host_services) {}
    void put(const std::string&, std::span<const std::byte>, std::uint32_t) override {}
    void get(const std::string&, std::uint64_t, std::uint64_t, const hp::bytes_callback&) override {}
    void list(const std::string&, const hp::object_callback&) override {}
    std::optional<hp::object_info> stat(const std::string&) override { return std::nullopt; }
    void remove(const std::string&) override {}
};

TEST(StructSize, FunctionTablesOfTheAdapters) {
    const hf_engine_functions* engine = hp::detail::engine_adapter<bare_engine>::functions();
    EXPECT_EQ(engine->struct_size, sizeof(hf_engine_functions));
    EXPECT_NE(engine->open, nullptr);
    EXPECT_EQ(engine->verify, nullptr);  // bare_engine has no verify()
    EXPECT_EQ(engine->detect, nullptr);  // bare_engine has no static detect()
    EXPECT_EQ(engine->clone, nullptr);   // bare_engine has no clone()

    const hf_storage_functions* storage =
        hp::detail::storage_adapter<bare_storage>::functions(HF_STORAGE_FEATURE_RANGED_GET);
    EXPECT_EQ(storage->struct_size, sizeof(hf_storage_functions));
    EXPECT_EQ(storage->reserved, 0u);
    EXPECT_EQ(storage->features, HF_STORAGE_FEATURE_RANGED_GET);
    EXPECT_NE(storage->remove, nullptr);
}

// HF_HAS_FIELD in C sees a 1.0 table (it ends where clone begins) as one without clone.
TEST(StructSize, OlderEngineTableHasNoClone) {
    hf_engine_functions table = *hp::detail::engine_adapter<bare_engine>::functions();
    EXPECT_EQ(abi_c_engine_table_has_clone(&table), 1);
    table.struct_size = offsetof(hf_engine_functions, clone);
    EXPECT_EQ(abi_c_engine_table_has_clone(&table), 0);
}

// The same for a source filled by a host built before ABI 1.2: it ends where seek begins.
TEST(StructSize, OlderSourceHasNoSeek) {
    hf_stream_source source{};
    source.struct_size = sizeof(hf_stream_source);
    EXPECT_EQ(abi_c_source_has_seek(&source), 1);
    source.struct_size = offsetof(hf_stream_source, seek);
    EXPECT_EQ(abi_c_source_has_seek(&source), 0);
}

TEST(StructSize, InitWithoutInitializeSucceeds) {
    hf_init_args args{sizeof(hf_init_args), HF_ABI_VERSION_MAJOR, HF_ABI_VERSION_MINOR, nullptr};
    hf_error err = hp::make_error();
    EXPECT_EQ(hp::detail::engine_adapter<bare_engine>::init_entry(&args, &err), HF_OK);
    EXPECT_EQ(hp::detail::storage_adapter<bare_storage>::init_entry(&args, &err), HF_OK);
}

}  // namespace
