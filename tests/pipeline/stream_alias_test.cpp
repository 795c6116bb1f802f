// Naming a stream by what it holds (cli/stream_alias.hpp): the encoding engines use for
// the name inside a stream name, and which stream a plain name picks.
#include "cli/stream_alias.hpp"
#include "core/error.hpp"

#include <holdfast/stream_name.hpp>

#include <gtest/gtest.h>

namespace holdfast::cli {
namespace {

TEST(StreamAlias, EncodesWhatAStreamNameCannotCarry) {
    EXPECT_EQ(encode_stream_segment("app"), "app");
    EXPECT_EQ(encode_stream_segment("my.app"), "my%2Eapp");
    EXPECT_EQ(encode_stream_segment("50%/a\\b"), "50%25%2Fa%5Cb");
    EXPECT_EQ(encode_stream_segment("ünï côdé"), "ünï côdé");
}

TEST(StreamAlias, ExactNamesWinThenTheOnlySegmentMatch) {
    const std::vector<std::string> streams{"globals", "database.app", "database.my%2Eapp", "database.globals"};
    EXPECT_EQ(find_stream(streams, "globals"), "globals") << "an exact name first";
    EXPECT_EQ(find_stream(streams, "database.app"), "database.app");
    EXPECT_EQ(find_stream(streams, "app"), "database.app");
    EXPECT_EQ(find_stream(streams, "my.app"), "database.my%2Eapp");
    EXPECT_EQ(find_stream(streams, "other"), std::nullopt);
    EXPECT_EQ(find_stream(streams, "my%2Eapp"), std::nullopt) << "the plain name, not the encoded one";
}

TEST(StreamAlias, SeveralMatchesAreAUsageError) {
    const std::vector<std::string> streams{"database.app", "schema.app"};
    try {
        (void)find_stream(streams, "app");
        FAIL() << "an ambiguous name was taken";
    } catch (const usage_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "'app' names several streams of the snapshot (database.app, schema.app); give the stream's full name");
    }
}

}  // namespace
}  // namespace holdfast::cli
