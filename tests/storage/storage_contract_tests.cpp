// The storage contract (docs/storage-plugins.md), checked through the C ABI.
#include "storage_contract.hpp"

#include <holdfast/plugin/storage.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace holdfast::testing {
namespace {

constexpr std::size_t MiB = std::size_t{1} << 20;

// Compares without dumping megabytes into the log on failure.
::testing::AssertionResult same_bytes(const bytes& actual, const bytes& expected) {
    if (actual == expected) return ::testing::AssertionSuccess();
    if (actual.size() != expected.size())
        return ::testing::AssertionFailure() << "size " << actual.size() << ", expected " << expected.size();
    auto diff = std::mismatch(actual.begin(), actual.end(), expected.begin());
    return ::testing::AssertionFailure() << "contents differ from byte " << (diff.first - actual.begin());
}

bytes slice(const bytes& data, std::size_t offset, std::size_t length) {
    return bytes(data.begin() + static_cast<std::ptrdiff_t>(offset),
                 data.begin() + static_cast<std::ptrdiff_t>(offset + length));
}

// Collects failures from worker threads; gtest assertions belong on the main thread.
class thread_failures {
public:
    void add(std::string what) {
        std::lock_guard lock(mutex_);
        failures_.push_back(std::move(what));
    }
    template <typename Body>
    void run(Body&& body) {
        try {
            body();
        } catch (const std::exception& e) {
            add(e.what());
        }
    }
    void expect_none() {
        for (const auto& f : failures_) ADD_FAILURE() << f;
    }

private:
    std::mutex mutex_;
    std::vector<std::string> failures_;
};

// ---- put and get ------------------------------------------------------------

TEST_P(storage_contract, put_then_get_returns_the_same_bytes) {
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, 3 * MiB}) {
        SCOPED_TRACE("size " + std::to_string(size));
        const std::string key = "round-trip/" + std::to_string(size);
        const bytes data = pattern(size, static_cast<std::uint32_t>(size));
        store().put(key, data);
        EXPECT_TRUE(same_bytes(store().get(key), data));
        auto info = store().stat(key);
        ASSERT_TRUE(info.has_value());
        EXPECT_EQ(info->size, size);
    }
}

TEST_P(storage_contract, overwrite_replaces_the_whole_object) {
    const bytes big = pattern(3 * MiB, 1), small = to_bytes("short"), medium = pattern(100'000, 2);
    store().put("o", big);
    store().put("o", small);  // shorter: no tail of the old object may survive
    EXPECT_TRUE(same_bytes(store().get("o"), small));
    EXPECT_EQ(store().stat("o")->size, small.size());
    store().put("o", medium);
    EXPECT_TRUE(same_bytes(store().get("o"), medium));
    EXPECT_EQ(keys_of(store().list("")), std::vector<std::string>{"o"});
}

TEST_P(storage_contract, readers_never_see_a_partial_object) {
    const bytes a = pattern(2 * MiB, 10), b = pattern(2 * MiB + 4096, 11);
    store().put("hot", a);
    std::atomic<bool> done = false;
    std::atomic<int> reads = 0;
    thread_failures failures;
    {
        std::jthread writer([&] {
            failures.run([&] {
                for (int i = 0; i < 20; ++i) store().put("hot", i % 2 == 0 ? b : a);
            });
            done = true;
        });
        std::jthread reader([&] {
            failures.run([&] {
                while (!done || reads == 0) {
                    bytes seen = store().get("hot");
                    if (seen != a && seen != b)
                        failures.add("read " + std::to_string(seen.size()) + " bytes that are neither version");
                    ++reads;
                }
            });
        });
    }
    failures.expect_none();
    EXPECT_GT(reads.load(), 0);
    bytes final_content = store().get("hot");
    EXPECT_TRUE(final_content == a || final_content == b);
}

TEST_P(storage_contract, get_of_a_missing_object_is_not_found) {
    std::string message = expect_status(HF_ERR_NOT_FOUND, [&] { store().get("no-such-object"); });
    EXPECT_NE(message.find("no-such-object"), std::string::npos) << message;
    expect_status(HF_ERR_NOT_FOUND, [&] { store().get("no/such/directory/object"); });
    store().put("present/x", to_bytes("x"));
    expect_status(HF_ERR_NOT_FOUND, [&] { store().get("present/y"); });
    expect_status(HF_ERR_NOT_FOUND, [&] { store().get("present"); });  // a prefix is not an object
}

TEST_P(storage_contract, get_stops_when_the_sink_throws) {
    store().put("big", pattern(3 * MiB, 3));
    struct enough : std::runtime_error {
        enough() : std::runtime_error("enough") {}
    };
    int pieces = 0;
    EXPECT_THROW(store().get("big", 0, HF_WHOLE_OBJECT,
                             [&](std::span<const std::byte>) {
                                 ++pieces;
                                 throw enough();
                             }),
                 enough);
    EXPECT_EQ(pieces, 1);
    EXPECT_EQ(store().get("big").size(), 3 * MiB);  // the store still works
}

// ---- ranges -----------------------------------------------------------------

TEST_P(storage_contract, ranged_get_returns_exactly_the_range) {
    const bytes data = pattern(3 * MiB + 17, 4);
    store().put("ranged", data);
    struct range {
        std::size_t offset, length;
    };
    for (range r : {range{0, 10}, range{0, 1}, range{MiB - 5, 10}, range{MiB, MiB}, range{1000000, 2 * MiB},
                    range{data.size() - 10, 10}, range{data.size() - 1, 1}, range{7, 0}}) {
        SCOPED_TRACE("offset " + std::to_string(r.offset) + " length " + std::to_string(r.length));
        EXPECT_TRUE(same_bytes(store().get("ranged", r.offset, r.length), slice(data, r.offset, r.length)));
    }
    EXPECT_TRUE(same_bytes(store().get("ranged", 5, HF_WHOLE_OBJECT), slice(data, 5, data.size() - 5)));
}

TEST_P(storage_contract, ranged_get_past_the_end_is_cut) {
    const bytes data = pattern(1000, 5);
    store().put("short", data);
    EXPECT_TRUE(same_bytes(store().get("short", 990, 100), slice(data, 990, 10)));
    EXPECT_TRUE(same_bytes(store().get("short", 0, 1'000'000), data));
    // The end itself is a valid offset: nothing to deliver.
    EXPECT_TRUE(store().get("short", 1000, 5).empty());
    EXPECT_TRUE(store().get("short", 1000, HF_WHOLE_OBJECT).empty());
}

TEST_P(storage_contract, ranged_get_with_offset_past_the_end_is_invalid) {
    store().put("short", pattern(1000, 6));
    expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store().get("short", 1001, 1); });
    expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store().get("short", UINT64_MAX - 1, HF_WHOLE_OBJECT); });
    expect_status(HF_ERR_NOT_FOUND, [&] { store().get("missing", 5, 5); });
}

TEST_P(storage_contract, ranges_of_an_empty_object) {
    store().put("empty", {});
    EXPECT_TRUE(store().get("empty").empty());
    EXPECT_TRUE(store().get("empty", 0, 10).empty());
    expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store().get("empty", 1, 1); });
}

// ---- stat ---------------------------------------------------------------------

TEST_P(storage_contract, stat_reports_size_and_modification_time) {
    const auto before = std::chrono::system_clock::now();
    store().put("dir/stat-me", pattern(12345, 7));
    auto info = store().stat("dir/stat-me");
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->key, "dir/stat-me");
    EXPECT_EQ(info->size, 12345u);
    // 0 means unknown; otherwise it must be about now (clocks may differ a little).
    if (info->modified_unix_ns != 0) {
        auto modified = std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(info->modified_unix_ns)));
        EXPECT_LT(std::chrono::abs(modified - before), std::chrono::minutes(10));
    }
}

TEST_P(storage_contract, stat_of_a_missing_object_is_nullopt) {
    EXPECT_FALSE(store().stat("missing").has_value());
    EXPECT_FALSE(store().stat("missing/deeper/still").has_value());
    store().put("a/b/c", to_bytes("c"));
    EXPECT_FALSE(store().stat("a").has_value());  // prefixes are not objects
    EXPECT_FALSE(store().stat("a/b").has_value());
    EXPECT_FALSE(store().stat("a/b/c/d").has_value());
}

// ---- list ---------------------------------------------------------------------

TEST_P(storage_contract, list_of_an_empty_store_is_empty) {
    EXPECT_TRUE(store().list("").empty());
    EXPECT_TRUE(store().list("anything").empty());
}

// Keys chosen so that directory-by-directory order differs from byte order:
// '-' (0x2d) < '.' (0x2e) < '/' (0x2f) < '0' (0x30), 'Z' < 'a', and UTF-8
// bytes (>= 0x80) after ASCII.
const std::vector<std::string> ordering_keys = {
    "a/c/d", "b", "a0", "\xc3\xa9t\xc3\xa9", "a.c", "Z", "a/b", "a-d", "a/c/e", "a/c0", "a/c.x", "c/z/y",
};

std::vector<std::string> sorted_keys(std::string_view prefix) {
    std::vector<std::string> out;
    for (const auto& k : ordering_keys)
        if (std::string_view(k).starts_with(prefix)) out.push_back(k);
    std::sort(out.begin(), out.end());  // std::string compares bytes as unsigned char
    return out;
}

TEST_P(storage_contract, list_returns_keys_in_byte_order) {
    for (const auto& key : ordering_keys) store().put(key, to_bytes(key));
    std::vector<std::string> expected = sorted_keys("");
    std::vector<std::string> listed = keys_of(store().list(""));
    EXPECT_EQ(listed, expected);
}

TEST_P(storage_contract, list_filters_by_any_prefix) {
    for (const auto& key : ordering_keys) store().put(key, to_bytes(key));
    for (std::string prefix : {"a", "a/", "a/c", "a/c/", "a/c/d", "a/c/dd", "a.", "a/b/", "b", "c/", "c/z/y", "\xc3", "Z",
                               "nothing", "a/c0/"}) {
        SCOPED_TRACE("prefix '" + prefix + "'");
        EXPECT_EQ(keys_of(store().list(prefix)), sorted_keys(prefix));
    }
}

TEST_P(storage_contract, list_reports_what_stat_reports) {
    store().put("s/one", pattern(1, 1));
    store().put("s/two", pattern(2 * MiB, 2));
    store().put("s/zero", {});
    for (const auto& listed : store().list("s/")) {
        SCOPED_TRACE(listed.key);
        auto info = store().stat(listed.key);
        ASSERT_TRUE(info.has_value());
        EXPECT_EQ(listed.size, info->size);
        EXPECT_EQ(listed.modified_unix_ns, info->modified_unix_ns);
    }
    EXPECT_EQ(store().list("s/").size(), 3u);
}

TEST_P(storage_contract, list_stops_when_the_callback_throws) {
    for (int i = 0; i < 5; ++i) store().put("l/" + std::to_string(i), to_bytes("x"));
    struct enough : std::runtime_error {
        enough() : std::runtime_error("enough") {}
    };
    int seen = 0;
    EXPECT_THROW(store().list("l/",
                              [&](const client::object_info&) {
                                  if (++seen == 2) throw enough();
                              }),
                 enough);
    EXPECT_EQ(seen, 2);
    EXPECT_EQ(store().list("l/").size(), 5u);
}

// ---- remove ---------------------------------------------------------------------

TEST_P(storage_contract, remove_deletes_only_that_object) {
    store().put("r/keep", to_bytes("keep"));
    store().put("r/drop", to_bytes("drop"));
    store().put("r/dropped-not", to_bytes("sibling with the key as prefix"));
    store().remove("r/drop");
    expect_status(HF_ERR_NOT_FOUND, [&] { store().get("r/drop"); });
    EXPECT_FALSE(store().stat("r/drop").has_value());
    EXPECT_EQ(keys_of(store().list("")), (std::vector<std::string>{"r/dropped-not", "r/keep"}));
    // Put again after remove: a fresh object.
    store().put("r/drop", to_bytes("again"));
    EXPECT_TRUE(same_bytes(store().get("r/drop"), to_bytes("again")));
}

TEST_P(storage_contract, remove_of_a_missing_object_succeeds) {
    EXPECT_NO_THROW(store().remove("never-existed"));
    EXPECT_NO_THROW(store().remove("no/such/directory/either"));
    store().put("twice", to_bytes("x"));
    store().remove("twice");
    EXPECT_NO_THROW(store().remove("twice"));
    store().put("p/q", to_bytes("x"));
    EXPECT_NO_THROW(store().remove("p"));  // a prefix is not an object
    EXPECT_TRUE(store().stat("p/q").has_value());
}

// ---- put if absent -----------------------------------------------------------

TEST_P(storage_contract, put_if_absent_refuses_an_existing_key) {
    if (!store().has_feature(HF_STORAGE_FEATURE_PUT_IF_ABSENT))
        GTEST_SKIP() << "the plugin does not advertise HF_STORAGE_FEATURE_PUT_IF_ABSENT";
    const bytes first = pattern(5000, 1), second = pattern(7000, 2);
    store().put("lock", first, HF_PUT_IF_ABSENT);
    std::string message = expect_status(HF_ERR_ALREADY_EXISTS, [&] { store().put("lock", second, HF_PUT_IF_ABSENT); });
    EXPECT_NE(message.find("lock"), std::string::npos) << message;
    EXPECT_TRUE(same_bytes(store().get("lock"), first));
    EXPECT_EQ(keys_of(store().list("")), std::vector<std::string>{"lock"});
    // A plain put still overwrites; after a remove, put-if-absent works again.
    store().put("lock", second);
    EXPECT_TRUE(same_bytes(store().get("lock"), second));
    store().remove("lock");
    store().put("lock", first, HF_PUT_IF_ABSENT);
    EXPECT_TRUE(same_bytes(store().get("lock"), first));
}

TEST_P(storage_contract, put_if_absent_race_has_exactly_one_winner) {
    if (!store().has_feature(HF_STORAGE_FEATURE_PUT_IF_ABSENT))
        GTEST_SKIP() << "the plugin does not advertise HF_STORAGE_FEATURE_PUT_IF_ABSENT";
    for (int round = 0; round < 5; ++round) {
        const std::string key = "race/" + std::to_string(round);
        constexpr int writers = 6;
        std::vector<bytes> contents;
        for (int i = 0; i < writers; ++i) contents.push_back(pattern(256 * 1024, static_cast<std::uint32_t>(100 * round + i)));
        std::atomic<int> winners = 0, losers = 0, winner = -1;
        thread_failures failures;
        {
            std::vector<std::jthread> threads;
            for (int i = 0; i < writers; ++i)
                threads.emplace_back([&, i] {
                    try {
                        store().put(key, contents[static_cast<std::size_t>(i)], HF_PUT_IF_ABSENT);
                        ++winners;
                        winner = i;
                    } catch (const client::plugin_error& e) {
                        if (e.code() == HF_ERR_ALREADY_EXISTS) ++losers;
                        else failures.add(e.what());
                    }
                });
        }
        failures.expect_none();
        ASSERT_EQ(winners.load(), 1) << "round " << round;
        EXPECT_EQ(losers.load(), writers - 1);
        EXPECT_TRUE(same_bytes(store().get(key), contents[static_cast<std::size_t>(winner.load())]));
    }
}

// ---- keys -----------------------------------------------------------------------

TEST_P(storage_contract, invalid_keys_are_refused_by_every_operation) {
    // An embedded NUL cannot be tested here: the C ABI passes keys as
    // NUL-terminated strings, so "a\0b" reaches the plugin as "a".
    // valid_key_refuses_nul below checks the plugin-side rule instead.
    const std::vector<std::string> invalid = {
        "", "/", "/absolute", "a//b", "trailing/", "..", "../escape", "a/../b", "a/..", ".", "./a", "a/./b",
        "back\\slash", std::string(1025, 'k'),
    };
    for (const auto& key : invalid) {
        SCOPED_TRACE("key '" + key.substr(0, 40) + "'");
        expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store().put(key, to_bytes("x")); });
        expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store().put(key, to_bytes("x"), HF_PUT_IF_ABSENT); });
        expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store().get(key); });
        expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store().stat(key); });
        expect_status(HF_ERR_INVALID_ARGUMENT, [&] { store().remove(key); });
    }
    EXPECT_TRUE(store().list("").empty());
}

TEST(storage_key_rules, valid_key_refuses_nul) {
    using holdfast::plugin::valid_key;
    EXPECT_FALSE(valid_key(std::string_view("nul\0inside", 10)));
    EXPECT_FALSE(valid_key(std::string_view("\0", 1)));
    EXPECT_TRUE(valid_key("nul"));
}

TEST_P(storage_contract, unusual_but_valid_keys_round_trip) {
    const std::vector<std::string> keys = {
        "with space", "...", "a..b", ".hidden", "dash-and_underscore", "UPPER/lower", "\xe6\x97\xa5\xe6\x9c\xac/\xc3\xa9",
        "percent%20encoded", "colon:and;semicolon", "tilde~", "x/y/z/w/v/u/t/s/r/q",
    };
    for (const auto& key : keys) store().put(key, to_bytes(key));
    for (const auto& key : keys) {
        SCOPED_TRACE(key);
        EXPECT_TRUE(same_bytes(store().get(key), to_bytes(key)));
    }
    std::vector<std::string> expected = keys;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(keys_of(store().list("")), expected);
}

TEST_P(storage_contract, the_longest_key_round_trips) {
    // 1024 bytes in segments of 100 ("/" included), within every file
    // system's 255-byte name limit.
    std::string key;
    while (key.size() < 1024) {
        if (!key.empty()) key += '/';
        key += std::string(std::min<std::size_t>(99, 1024 - key.size()), 'k');
    }
    ASSERT_EQ(key.size(), 1024u);
    store().put(key, to_bytes("long"));
    EXPECT_TRUE(same_bytes(store().get(key), to_bytes("long")));
    EXPECT_EQ(keys_of(store().list("")), std::vector<std::string>{key});
    store().remove(key);
    EXPECT_FALSE(store().stat(key).has_value());
}

// A file-system backend cannot hold "x" and "x/y" at once; an object store
// can. Either behaviour is allowed, but refusing must be clean:
// HF_ERR_INVALID_ARGUMENT, and the existing object untouched.
TEST_P(storage_contract, key_and_keys_below_it) {
    store().put("x", to_bytes("object x"));
    try {
        store().put("x/y", to_bytes("object x/y"));
        EXPECT_TRUE(same_bytes(store().get("x/y"), to_bytes("object x/y")));
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_INVALID_ARGUMENT) << e.what();
        EXPECT_FALSE(store().stat("x/y").has_value());
    }
    EXPECT_TRUE(same_bytes(store().get("x"), to_bytes("object x")));

    store().put("p/q", to_bytes("object p/q"));
    try {
        store().put("p", to_bytes("object p"));
        EXPECT_TRUE(same_bytes(store().get("p"), to_bytes("object p")));
    } catch (const client::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_INVALID_ARGUMENT) << e.what();
        EXPECT_FALSE(store().stat("p").has_value());
    }
    EXPECT_TRUE(same_bytes(store().get("p/q"), to_bytes("object p/q")));
}

// ---- handles and threads -----------------------------------------------------------

TEST_P(storage_contract, handles_on_one_store_see_the_same_objects) {
    client::storage_instance other = backend().open();
    store().put("shared", to_bytes("from the first handle"));
    EXPECT_TRUE(same_bytes(other.get("shared"), to_bytes("from the first handle")));
    other.remove("shared");
    EXPECT_FALSE(store().stat("shared").has_value());
}

TEST_P(storage_contract, concurrent_puts_of_distinct_keys_all_land) {
    constexpr int threads_count = 4, per_thread = 25;
    thread_failures failures;
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < threads_count; ++t)
            threads.emplace_back([&, t] {
                failures.run([&] {
                    for (int i = 0; i < per_thread; ++i)
                        store().put("c/" + std::to_string(t) + "/" + std::to_string(i),
                                    pattern(64 * 1024, static_cast<std::uint32_t>(t * 1000 + i)));
                });
            });
    }
    failures.expect_none();
    EXPECT_EQ(store().list("c/").size(), static_cast<std::size_t>(threads_count * per_thread));
    for (int t = 0; t < threads_count; ++t)
        for (int i = 0; i < per_thread; ++i)
            EXPECT_TRUE(same_bytes(store().get("c/" + std::to_string(t) + "/" + std::to_string(i)),
                                   pattern(64 * 1024, static_cast<std::uint32_t>(t * 1000 + i))));
}

TEST_P(storage_contract, concurrent_puts_of_one_key_leave_one_whole_object) {
    const bytes a = pattern(MiB, 21), b = pattern(MiB + 1, 22);
    thread_failures failures;
    {
        std::jthread first([&] { failures.run([&] { for (int i = 0; i < 15; ++i) store().put("same", a); }); });
        std::jthread second([&] { failures.run([&] { for (int i = 0; i < 15; ++i) store().put("same", b); }); });
    }
    failures.expect_none();
    bytes result = store().get("same");
    EXPECT_TRUE(result == a || result == b) << "got " << result.size() << " bytes that are neither version";
    EXPECT_EQ(keys_of(store().list("")), std::vector<std::string>{"same"});
}

}  // namespace
}  // namespace holdfast::testing
