// The two C++ sides of the storage ABI against each other: memory_storage.cpp,
// built as a real plugin module, loaded with dlopen as the host loads plugins
// (RTLD_NOW | RTLD_LOCAL), and driven through holdfast::client::storage_instance.
#include "test_support.hpp"

#include <holdfast/client/storage.hpp>

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <stdexcept>

namespace {

namespace hc = holdfast::client;
using holdfast::testing::recording_host;
using holdfast::testing::to_string;

// Loaded once and never unloaded, like the host does.
const hf_plugin_descriptor* memory_plugin() {
    static const hf_plugin_descriptor* descriptor = [] {
        void* library = dlopen(SDK_TEST_MEMORY_PLUGIN, RTLD_NOW | RTLD_LOCAL);
        if (library == nullptr) throw std::runtime_error(dlerror());
        void* entry = dlsym(library, HF_PLUGIN_ENTRY_SYMBOL);
        if (entry == nullptr) throw std::runtime_error(dlerror());
        return reinterpret_cast<hf_plugin_entry_fn>(entry)();
    }();
    return descriptor;
}

const hf_storage_functions* memory_functions() {
    return static_cast<const hf_storage_functions*>(memory_plugin()->functions);
}

std::span<const std::byte> bytes(std::string_view text) { return std::as_bytes(std::span(text.data(), text.size())); }

class StorageRoundTrip : public ::testing::Test {
protected:
    recording_host host;
    hc::storage_instance store{memory_functions(), "{}", host.services()};

    template <typename Call>
    static std::string expect_failure(hf_status code, Call&& call) {
        try {
            call();
        } catch (const hc::plugin_error& e) {
            EXPECT_EQ(e.code(), code) << e.what();
            return e.what();
        }
        ADD_FAILURE() << "no plugin_error";
        return {};
    }
};

TEST(StoragePlugin, DescriptorAndTable) {
    const hf_plugin_descriptor* d = memory_plugin();
    EXPECT_EQ(d->struct_size, sizeof(hf_plugin_descriptor));
    EXPECT_EQ(d->magic, HF_PLUGIN_MAGIC);
    EXPECT_EQ(d->abi_major, HF_ABI_VERSION_MAJOR);
    EXPECT_EQ(d->kind, static_cast<hf_plugin_kind>(HF_PLUGIN_KIND_STORAGE));
    EXPECT_STREQ(d->name, "sdk-test-memory");
    const hf_storage_functions* f = memory_functions();
    EXPECT_EQ(f->struct_size, sizeof(hf_storage_functions));
    EXPECT_EQ(f->features, HF_STORAGE_FEATURE_RANGED_GET | HF_STORAGE_FEATURE_PUT_IF_ABSENT);
    hf_init_args args{sizeof(hf_init_args), HF_ABI_VERSION_MAJOR, HF_ABI_VERSION_MINOR, nullptr};
    hf_error err = hc::make_error();
    EXPECT_EQ(d->init(&args, &err), HF_OK);
}

TEST_F(StorageRoundTrip, PutGetListStatRemove) {
    EXPECT_TRUE(store.has_feature(HF_STORAGE_FEATURE_RANGED_GET));
    store.put("data/b", bytes("bravo"));
    store.put("data/a", bytes("alpha, longer than a piece"));
    store.put("index/1", bytes(""));
    store.put("data/c\xC3\xA9", bytes("c"));

    EXPECT_EQ(to_string(store.get("data/a")), "alpha, longer than a piece");
    EXPECT_EQ(to_string(store.get("data/a", 7, 6)), "longer");
    EXPECT_EQ(to_string(store.get("data/a", 21, 100)), "piece");  // cut at the end
    EXPECT_EQ(to_string(store.get("data/a", 26)), "");              // offset == size: nothing
    expect_failure(HF_ERR_INVALID_ARGUMENT, [&] { store.get("data/a", 27); });
    EXPECT_EQ(to_string(store.get("index/1")), "");

    std::size_t pieces = 0;
    store.get("data/a", 0, HF_WHOLE_OBJECT, [&](std::span<const std::byte>) { ++pieces; });
    EXPECT_GT(pieces, 1u);

    const auto listed = store.list("data/");
    ASSERT_EQ(listed.size(), 3u);
    EXPECT_EQ(listed[0].key, "data/a");  // key order, not insertion order
    EXPECT_EQ(listed[1].key, "data/b");
    EXPECT_EQ(listed[2].key, "data/c\xC3\xA9");
    EXPECT_EQ(listed[1].size, 5u);
    EXPECT_EQ(listed[1].modified_unix_ns, 1000);
    EXPECT_EQ(store.list("").size(), 4u);
    EXPECT_TRUE(store.list("nothing/").empty());

    const auto info = store.stat("data/a");
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->key, "data/a");
    EXPECT_EQ(info->size, 26u);
    EXPECT_EQ(info->modified_unix_ns, 2000);
    EXPECT_FALSE(store.stat("data/zzz").has_value());

    store.remove("data/a");
    EXPECT_FALSE(store.stat("data/a").has_value());
    EXPECT_NO_THROW(store.remove("data/a"));  // deleting a missing object succeeds
    EXPECT_EQ(expect_failure(HF_ERR_NOT_FOUND, [&] { store.get("data/a"); }),
              "reading object 'data/a': no object 'data/a'");
}

TEST_F(StorageRoundTrip, PutIfAbsent) {
    store.put("lock", bytes("one"), HF_PUT_IF_ABSENT);
    EXPECT_EQ(expect_failure(HF_ERR_ALREADY_EXISTS, [&] { store.put("lock", bytes("two"), HF_PUT_IF_ABSENT); }),
              "storing object 'lock': object 'lock' already exists");
    EXPECT_EQ(to_string(store.get("lock")), "one");
}

TEST_F(StorageRoundTrip, PluginSideRefusesInvalidKeys) {
    for (const std::string& key : std::vector<std::string>{"", "/abs", "trailing/", "a//b", "./a", "a/./b",
                                                           "a/../b", "..", "a\\b", std::string(1025, 'k')}) {
        expect_failure(HF_ERR_INVALID_ARGUMENT, [&] { store.put(key, bytes("x")); });
        expect_failure(HF_ERR_INVALID_ARGUMENT, [&] { store.stat(key); });
        expect_failure(HF_ERR_INVALID_ARGUMENT, [&] { store.remove(key); });
    }
    EXPECT_TRUE(store.list("").empty());
    EXPECT_NO_THROW(store.put(std::string(1024, 'k'), bytes("x")));
}

TEST_F(StorageRoundTrip, PluginExceptionsBecomeStatusCodes) {
    EXPECT_EQ(expect_failure(HF_ERR_IO, [&] { store.put("fail/io", bytes("x")); }),
              "storing object 'fail/io': injected I/O failure on 'fail/io'");
    EXPECT_EQ(expect_failure(HF_ERR_INTERNAL, [&] { store.get("fail/std"); }),
              "reading object 'fail/std': injected std::runtime_error");
    EXPECT_EQ(expect_failure(HF_ERR_INTERNAL, [&] { store.stat("fail/int"); }),
              "inspecting object 'fail/int': unknown exception inside the plugin");
    expect_failure(HF_ERR_INVALID_ARGUMENT,
                   [&] { hc::storage_instance(memory_functions(), R"({"fail_open":true})", host.services()); });
}

// The host's callback throws: the listing stops, the plugin sees a status, and
// the host gets its own exception back, with its type.
TEST_F(StorageRoundTrip, HostCallbackExceptionIsRethrownOnTheHostSide) {
    store.put("a", bytes("1"));
    store.put("b", bytes("2"));
    store.put("c", bytes("3"));
    int calls = 0;
    try {
        store.list("", [&](const hc::object_info&) {
            ++calls;
            throw std::logic_error("host gave up");
        });
        FAIL() << "no exception";
    } catch (const std::logic_error& e) {
        EXPECT_STREQ(e.what(), "host gave up");
    }
    EXPECT_EQ(calls, 1);

    try {
        store.get("a", 0, HF_WHOLE_OBJECT, [](std::span<const std::byte>) { throw std::length_error("sink full"); });
        FAIL() << "no exception";
    } catch (const std::length_error& e) {
        EXPECT_STREQ(e.what(), "sink full");
    }
    // The store is still usable afterwards.
    EXPECT_EQ(store.list("").size(), 3u);
}

// What the plugin writes through the raw ABI: full struct_size on listed
// infos, and no write past a smaller struct the host declared.
TEST_F(StorageRoundTrip, RawStructSizes) {
    store.put("k", bytes("12345"));
    const hf_storage_functions* f = memory_functions();
    hf_storage* handle = nullptr;
    hf_error err = hc::make_error();
    ASSERT_EQ(f->open("{}", host.services(), &handle, &err), HF_OK);
    ASSERT_EQ(f->put(handle, "k", "12345", 5, 0, &err), HF_OK);

    std::uint32_t listed_size = 0;
    auto each = [](void* context, const char*, const hf_object_info* info) -> hf_status {
        *static_cast<std::uint32_t*>(context) = info->struct_size;
        return HF_OK;
    };
    ASSERT_EQ(f->list(handle, "", each, &listed_size, &err), HF_OK);
    EXPECT_EQ(listed_size, sizeof(hf_object_info));

    hf_object_info small{};
    small.struct_size = offsetof(hf_object_info, modified_unix_ns);
    small.modified_unix_ns = -7;  // beyond the declared size: must stay as is
    ASSERT_EQ(f->stat(handle, "k", &small, &err), HF_OK);
    EXPECT_EQ(small.size, 5u);
    EXPECT_EQ(small.modified_unix_ns, -7);

    // A host callback asking to stop: its status comes back.
    auto stop = [](void*, const char*, const hf_object_info*) -> hf_status { return HF_ERR_CANCELLED; };
    EXPECT_EQ(f->list(handle, "", stop, nullptr, &err), HF_ERR_CANCELLED);
    f->close(handle);
    f->close(nullptr);  // ignored
}

TEST_F(StorageRoundTrip, InstancesMove) {
    store.put("x", bytes("moved"));
    hc::storage_instance other = std::move(store);
    EXPECT_EQ(to_string(other.get("x")), "moved");
    store = std::move(other);
    EXPECT_EQ(to_string(store.get("x")), "moved");
}

}  // namespace
