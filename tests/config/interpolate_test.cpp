// ${VAR} interpolation of single values.
#include "config/interpolate.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace holdfast::config {
namespace {

using testing::scoped_env;

TEST(Interpolate, ReplacesSetVariables) {
    scoped_env a("HF_TEST_A", "alpha");
    scoped_env b("HF_TEST_B", "beta");
    EXPECT_EQ(interpolate("${HF_TEST_A}"), "alpha");
    EXPECT_EQ(interpolate("/srv/${HF_TEST_A}/${HF_TEST_B}.db"), "/srv/alpha/beta.db");
    EXPECT_EQ(interpolate("no references"), "no references");
    EXPECT_EQ(interpolate(""), "");
}

TEST(Interpolate, DefaultIsUsedWhenUnsetOrEmpty) {
    scoped_env unset("HF_TEST_UNSET", std::nullopt);
    scoped_env empty("HF_TEST_EMPTY", "");
    scoped_env set("HF_TEST_SET", "value");
    EXPECT_EQ(interpolate("${HF_TEST_UNSET:-/var/backups}"), "/var/backups");
    EXPECT_EQ(interpolate("${HF_TEST_EMPTY:-fallback}"), "fallback");
    EXPECT_EQ(interpolate("${HF_TEST_SET:-fallback}"), "value");
    EXPECT_EQ(interpolate("${HF_TEST_UNSET:-}"), "");
    EXPECT_EQ(interpolate("${HF_TEST_UNSET:-a:-b}"), "a:-b");
}

TEST(Interpolate, DoubleDollarIsALiteralDollar) {
    scoped_env a("HF_TEST_A", "alpha");
    EXPECT_EQ(interpolate("pa$$word"), "pa$word");
    EXPECT_EQ(interpolate("$$${HF_TEST_A}"), "$alpha");
    EXPECT_EQ(interpolate("$${HF_TEST_A}"), "${HF_TEST_A}");
    EXPECT_EQ(interpolate("$$$$"), "$$");
}

TEST(Interpolate, ValueOfAVariableIsNotInterpolatedAgain) {
    scoped_env a("HF_TEST_A", "${HF_TEST_B} $$");
    EXPECT_EQ(interpolate("${HF_TEST_A}"), "${HF_TEST_B} $$");
}

TEST(Interpolate, UnsetVariableWithoutDefaultIsAnErrorNamingIt) {
    scoped_env unset("HF_TEST_UNSET", std::nullopt);
    try {
        interpolate("x${HF_TEST_UNSET}y");
        FAIL() << "no error";
    } catch (const interpolation_error& e) {
        EXPECT_STREQ(e.what(),
                     "environment variable \"HF_TEST_UNSET\" is not set (write ${HF_TEST_UNSET:-default} to give a default)");
    }
}

TEST(Interpolate, MalformedReferencesAreErrorsThatDoNotEchoTheText) {
    EXPECT_THROW(interpolate("$HOME/backups"), interpolation_error);
    EXPECT_THROW(interpolate("trailing $"), interpolation_error);
    EXPECT_THROW(interpolate("${HF_TEST_A"), interpolation_error);
    EXPECT_THROW(interpolate("${}"), interpolation_error);
    try {
        interpolate("s3cr3t${1abc}");
        FAIL() << "no error";
    } catch (const interpolation_error& e) {
        EXPECT_EQ(std::string(e.what()).find("s3cr3t"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("1abc"), std::string::npos) << e.what();
    }
    try {
        interpolate("$HOME");
        FAIL() << "no error";
    } catch (const interpolation_error& e) {
        EXPECT_STREQ(e.what(), "\"$\" must start ${NAME} or ${NAME:-default}; write \"$$\" for a literal \"$\"");
    }
}

}  // namespace
}  // namespace holdfast::config
