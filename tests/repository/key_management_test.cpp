// key list / add / remove / passwd: only key slots change, never data.
#include "repository_fixture.hpp"

#include "repository/blob_store.hpp"
#include "repository/errors.hpp"
#include "repository/key_management.hpp"
#include "sample_data.hpp"

#include "core/error.hpp"

namespace holdfast::repository::testing {
namespace {

using key_test = repository_test;

TEST_F(key_test, AddRemoveAndChangePasswords) {
    const auto data = test_data::text_stream(50000, 5);
    object_id blob;
    {
        repo r = init("old");
        blob_store store(r);
        blob = store.add(blob_type::data, data).id;
        store.flush();
    }
    const auto data_before = objects("data/");
    const auto index_before = objects("index/");

    {
        repo r = open("old");
        const object_id second = add_key_slot(r, "second", fast_kdf);
        const auto slots = list_key_slots(r);
        ASSERT_EQ(slots.size(), 2u);
        for (const auto& slot : slots) {
            EXPECT_FALSE(slot.host.empty());
            EXPECT_FALSE(slot.user.empty());
            EXPECT_FALSE(slot.created.empty());
            EXPECT_EQ(slot.kdf.n, fast_kdf.n);
        }
        EXPECT_TRUE(std::any_of(slots.begin(), slots.end(),
                                [&](const key_slot_info& s) { return s.id == second; }));
        EXPECT_NO_THROW(open("second"));

        const object_id fresh = change_password(r, "new", fast_kdf);
        EXPECT_EQ(r.key_slot(), fresh);
        EXPECT_EQ(list_key_slots(r).size(), 2u);
    }
    EXPECT_THROW(open("old"), wrong_password_error);
    repo r = open("new");
    EXPECT_NO_THROW(open("second"));
    // Same master key: data written before reads back, and no data object changed.
    r.load_index();
    EXPECT_EQ(r.read_blob(blob), data);
    EXPECT_EQ(objects("data/"), data_before);
    EXPECT_EQ(objects("index/"), index_before);
}

TEST_F(key_test, TheLastKeyAndTheKeyInUseAreProtected) {
    repo r = init("only");
    const object_id only = *r.key_slot();
    try {
        remove_key_slot(r, only, true);
        FAIL();
    } catch (const repository_error& e) {
        EXPECT_NE(std::string(e.what()).find("is the repository's last key"), std::string::npos);
    }
    const object_id other = add_key_slot(r, "other", fast_kdf);
    EXPECT_THROW(remove_key_slot(r, only), usage_error);  // in use
    remove_key_slot(r, other);
    EXPECT_THROW(open("other"), wrong_password_error);
    const object_id third = add_key_slot(r, "third", fast_kdf);
    remove_key_slot(r, only, true);  // explicitly: the session keeps its key in memory
    EXPECT_THROW(open("only"), wrong_password_error);
    EXPECT_NO_THROW(open("third"));
    EXPECT_EQ(resolve_key_slot(r, third.hex().substr(0, 6)), third);
    EXPECT_THROW(remove_key_slot(r, only), usage_error);  // gone
}

TEST_F(key_test, UnencryptedRepositoriesHaveNoKeys) {
    repo r = init("", fast_options(encryption_mode::none));
    EXPECT_THROW(list_key_slots(r), repository_error);
    EXPECT_THROW(add_key_slot(r, "pw", fast_kdf), repository_error);
}

}  // namespace
}  // namespace holdfast::repository::testing
