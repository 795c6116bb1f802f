// hf_error_set (truncation on a UTF-8 boundary, NULL handling, smaller structs
// from older callers), HF_HAS_FIELD, and the exception <-> status conversions
// of both C++ sides. hf_error_set is checked as compiled by C and by C++.
#include "abi_c.h"

#include <holdfast/client/common.hpp>
#include <holdfast/plugin/common.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <string>

namespace {

using error_set_fn = hf_status (*)(hf_error*, hf_status, const char*);

hf_status cxx_error_set(hf_error* error, hf_status code, const char* message) {
    return hf_error_set(error, code, message);
}

class ErrorSet : public ::testing::TestWithParam<error_set_fn> {
protected:
    // Set `message` into a full-size hf_error and return what was stored.
    std::string set(const std::string& message, hf_status code = HF_ERR_IO) {
        hf_error err = holdfast::client::make_error();
        EXPECT_EQ(GetParam()(&err, code, message.c_str()), code);
        EXPECT_EQ(err.code, code);
        return err.message;
    }
};

TEST_P(ErrorSet, ShortMessageIsCopied) { EXPECT_EQ(set("disk full"), "disk full"); }

TEST_P(ErrorSet, LongestMessageFitsExactly) {
    const std::string m(HF_ERROR_MESSAGE_MAX - 1, 'a');
    EXPECT_EQ(set(m), m);
}

TEST_P(ErrorSet, TooLongAsciiIsCut) {
    EXPECT_EQ(set(std::string(5000, 'x')), std::string(HF_ERROR_MESSAGE_MAX - 1, 'x'));
}

// A multi-byte character that would straddle the cut is dropped whole.
TEST_P(ErrorSet, CutBacksOffToCharacterBoundary) {
    const std::size_t room = HF_ERROR_MESSAGE_MAX - 1;  // bytes of text that fit
    const std::string two = "\xC3\xA9", three = "\xE2\x82\xAC", four = "\xF0\x9F\x98\x80";
    for (const std::string& ch : {two, three, four}) {
        for (std::size_t overlap = 1; overlap < ch.size(); ++overlap) {
            // `ch` begins so that `overlap` of its bytes would fit.
            const std::string prefix(room - overlap, 'a');
            EXPECT_EQ(set(prefix + ch + "tail"), prefix) << ch.size() << "-byte character, " << overlap;
        }
        // A character ending exactly at the limit is kept.
        const std::string prefix(room - ch.size(), 'a');
        EXPECT_EQ(set(prefix + ch + "tail"), prefix + ch) << ch.size() << "-byte character at the end";
    }
}

TEST_P(ErrorSet, NullErrorOnlyReturnsTheCode) {
    EXPECT_EQ(GetParam()(nullptr, HF_ERR_CORRUPT, "ignored"), HF_ERR_CORRUPT);
}

TEST_P(ErrorSet, NullMessageGivesEmptyMessage) {
    hf_error err = holdfast::client::make_error();
    std::memset(err.message, 'z', sizeof err.message);
    EXPECT_EQ(GetParam()(&err, HF_ERR_NOT_FOUND, nullptr), HF_ERR_NOT_FOUND);
    EXPECT_EQ(err.code, HF_ERR_NOT_FOUND);
    EXPECT_STREQ(err.message, "");
}

// An older or smaller caller declares a smaller struct: nothing past it is written.
TEST_P(ErrorSet, SmallerDeclaredStructIsRespected) {
    hf_error err{};
    std::memset(err.message, 'z', sizeof err.message);
    err.struct_size = static_cast<std::uint32_t>(offsetof(hf_error, message) + 8);
    GetParam()(&err, HF_ERR_IO, "0123456789");
    EXPECT_EQ(err.code, HF_ERR_IO);
    EXPECT_EQ(std::string(err.message), "0123456");  // 7 bytes + NUL
    EXPECT_EQ(err.message[8], 'z');

    // Also on a character boundary: "é" would need bytes 6 and 7.
    GetParam()(&err, HF_ERR_IO, "012345\xC3\xA9");
    EXPECT_EQ(std::string(err.message), "012345");
}

// A struct that declares room for the code but not the text still gets the
// code, and nothing is written past its declared size.
TEST_P(ErrorSet, StructWithoutRoomForTextGetsTheCodeOnly) {
    hf_error err{};
    err.struct_size = static_cast<std::uint32_t>(offsetof(hf_error, message));
    err.code = HF_OK;
    err.message[0] = 'z';
    EXPECT_EQ(GetParam()(&err, HF_ERR_IO, "x"), HF_ERR_IO);
    EXPECT_EQ(err.code, HF_ERR_IO);
    EXPECT_EQ(err.message[0], 'z');
}

TEST_P(ErrorSet, StructTooSmallForTheCodeIsUntouched) {
    hf_error err{};
    err.struct_size = static_cast<std::uint32_t>(offsetof(hf_error, code));
    err.code = HF_OK;
    EXPECT_EQ(GetParam()(&err, HF_ERR_IO, "x"), HF_ERR_IO);
    EXPECT_EQ(err.code, HF_OK);
}

// A newer caller's larger hf_error: still at most HF_ERROR_MESSAGE_MAX bytes.
TEST_P(ErrorSet, LargerDeclaredStructIsCappedAtTheArray) {
    hf_error err = holdfast::client::make_error();
    err.struct_size = sizeof(hf_error) + 64;
    GetParam()(&err, HF_ERR_IO, std::string(4000, 'q').c_str());
    EXPECT_EQ(std::strlen(err.message), std::size_t{HF_ERROR_MESSAGE_MAX - 1});
}

INSTANTIATE_TEST_SUITE_P(C, ErrorSet, ::testing::Values(&abi_c_error_set));
INSTANTIATE_TEST_SUITE_P(Cxx, ErrorSet, ::testing::Values(&cxx_error_set));

TEST(HasField, ComparesDeclaredSizeWithTheWholeField) {
    hf_error err{};
    err.struct_size = sizeof(hf_error);
    EXPECT_EQ(abi_c_error_has_message(&err), 1);
    err.struct_size = sizeof(hf_error) - 1;
    EXPECT_EQ(abi_c_error_has_message(&err), 0);

    hf_object_info info{};
    info.struct_size = sizeof(hf_object_info);
    EXPECT_EQ(abi_c_object_info_has_modified(&info), 1);
    EXPECT_TRUE(HF_HAS_FIELD(&info, hf_object_info, modified_unix_ns));
    info.struct_size = offsetof(hf_object_info, modified_unix_ns);
    EXPECT_EQ(abi_c_object_info_has_modified(&info), 0);
    EXPECT_FALSE(HF_HAS_FIELD(&info, hf_object_info, modified_unix_ns));
    EXPECT_TRUE(HF_HAS_FIELD(&info, hf_object_info, size));
}

// ---- the C++ conversions ----------------------------------------------------

TEST(PluginGuarded, MapsExceptionsToStatusCodes) {
    namespace hp = holdfast::plugin;
    hf_error err = hp::make_error();
    EXPECT_EQ(hp::guarded(&err, [] {}), HF_OK);
    EXPECT_EQ(hp::guarded(&err, [] { throw hp::error(HF_ERR_PERMISSION, "denied"); }), HF_ERR_PERMISSION);
    EXPECT_STREQ(err.message, "denied");
    EXPECT_EQ(hp::guarded(&err, [] { throw std::out_of_range("range"); }), HF_ERR_INTERNAL);
    EXPECT_STREQ(err.message, "range");
    EXPECT_EQ(hp::guarded(&err, [] { throw std::bad_alloc(); }), HF_ERR_INTERNAL);
    EXPECT_STREQ(err.message, "out of memory");
    EXPECT_EQ(hp::guarded(&err, [] { throw 7; }), HF_ERR_INTERNAL);
    EXPECT_STREQ(err.message, "unknown exception inside the plugin");
}

TEST(ClientGuarded, MapsExceptionsToStatusCodes) {
    namespace hc = holdfast::client;
    hf_error err = hc::make_error();
    EXPECT_EQ(hc::guarded(&err, [] { throw hc::plugin_error(HF_ERR_NO_SPACE, "full"); }), HF_ERR_NO_SPACE);
    EXPECT_STREQ(err.message, "full");
    EXPECT_EQ(hc::guarded(&err, [] { throw std::runtime_error("host broke"); }), HF_ERR_FAILED);
    EXPECT_STREQ(err.message, "host broke");
    EXPECT_EQ(hc::guarded(&err, [] { throw 7; }), HF_ERR_INTERNAL);
}

TEST(Check, ComposesWhatAndMessage) {
    namespace hc = holdfast::client;
    hf_error err = hc::make_error();
    EXPECT_NO_THROW(hc::check(HF_OK, err, "nothing"));
    try {
        hc::check(HF_ERR_IO, err, "reading");
        FAIL() << "no exception";
    } catch (const hc::plugin_error& e) {
        EXPECT_EQ(e.code(), HF_ERR_IO);
        EXPECT_STREQ(e.what(), "reading");  // no message: no dangling ": "
    }
    hf_error_set(&err, HF_ERR_IO, "disk gone");
    try {
        holdfast::plugin::check(HF_ERR_IO, err, "reading");
        FAIL() << "no exception";
    } catch (const holdfast::plugin::error& e) {
        EXPECT_EQ(e.code(), HF_ERR_IO);
        EXPECT_STREQ(e.what(), "reading: disk gone");
    }
}

TEST(Utf8, AcceptsWellFormedAndRefusesTheRest) {
    using holdfast::client::valid_utf8;
    EXPECT_TRUE(valid_utf8(""));
    EXPECT_TRUE(valid_utf8("plain"));
    EXPECT_TRUE(valid_utf8("donn\xC3\xA9" "es \xE2\x82\xAC \xF0\x9F\x98\x80"));
    EXPECT_TRUE(valid_utf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
    EXPECT_FALSE(valid_utf8("\xFF"));
    EXPECT_FALSE(valid_utf8("\xC3"));              // truncated
    EXPECT_FALSE(valid_utf8("\xE2\x82"));          // truncated
    EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));      // overlong '/'
    EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
    EXPECT_FALSE(valid_utf8("\x80"));              // lone continuation
}

}  // namespace
