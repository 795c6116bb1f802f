// The child programs the engine runs (pg_dump, pg_restore, ...), with sh standing in: no
// server needed.
#include "child.hpp"

#include <holdfast/plugin/common.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace pg = holdfast::engines::postgresql;
using holdfast::plugin::error;

namespace {

std::span<const std::byte> bytes_of(std::string_view text) { return std::as_bytes(std::span(text)); }

std::string read_all(pg::child& program) {
    std::string out;
    std::byte buffer[4096];
    for (std::size_t n; (n = program.read(buffer, {})) != 0;) out.append(reinterpret_cast<const char*>(buffer), n);
    return out;
}

// A program fed through a pipe runs under stdbuf with a 1 MiB input buffer (which stdbuf
// passes to its preloaded library as _STDBUF_I), and reads everything written to it.
TEST(child, AProgramFedThroughAPipeGetsA1MiBInputBuffer) {
    const pg::program_run run{"/bin/sh",
                              {"-c", "printf '%s ' \"$_STDBUF_I\"; wc -c"},
                              {},
                              /*pipe_stdin=*/true,
                              /*pipe_stdout=*/true};
    auto program = pg::child::start(run);
    const std::string input(3 * 1024 * 1024 + 5, 'x');
    ASSERT_TRUE(program->write(bytes_of(input), {}));
    program->close_stdin();
    EXPECT_EQ(read_all(*program), "1048576 3145733\n");
    EXPECT_TRUE(program->wait()) << program->failure();
}

// A program read through a pipe gets a 128 KiB output buffer (_STDBUF_O), and no input
// buffer, since its input is /dev/null; everything it writes arrives.
TEST(child, AProgramReadThroughAPipeGetsA128KiBOutputBuffer) {
    const pg::program_run run{"/bin/sh",
                              {"-c", "printf '[%s|%s]' \"$_STDBUF_I\" \"$_STDBUF_O\"; head -c 3000000 /dev/zero"},
                              {},
                              /*pipe_stdin=*/false,
                              /*pipe_stdout=*/true};
    auto program = pg::child::start(run);
    const std::string out = read_all(*program);
    EXPECT_TRUE(program->wait()) << program->failure();
    EXPECT_EQ(out.substr(0, 9), "[|131072]");
    EXPECT_EQ(out.size(), 9 + 3000000);
    EXPECT_EQ(out.find_first_not_of('\0', 9), std::string::npos);
}

// With neither pipe nothing is wrapped.
TEST(child, AProgramWithoutPipesRunsAsItIs) {
    const pg::program_run run{"/bin/sh", {"-c", "printf '[%s%s]' \"$_STDBUF_I\" \"$_STDBUF_O\" >&2"}, {}, false, false};
    auto program = pg::child::start(run);
    EXPECT_TRUE(program->wait());
    EXPECT_EQ(program->stderr_text(), "[]");
}

// The wrapper never shows: a missing program is reported as itself, a failing one by its
// own name and last words.
TEST(child, ErrorsNameTheProgramNotTheWrapper) {
    try {
        pg::child::start({"/nonexistent/pg_restore", {}, {}, true, false});
        ADD_FAILURE() << "started";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), HF_ERR_NOT_FOUND);
        EXPECT_NE(std::string(e.what()).find("/nonexistent/pg_restore"), std::string::npos) << e.what();
    }
    auto program = pg::child::start({"/bin/sh", {"-c", "cat >/dev/null; echo 'no such table' >&2; exit 3"}, {}, true, false});
    ASSERT_TRUE(program->write(bytes_of("input"), {}));
    program->close_stdin();
    EXPECT_FALSE(program->wait());
    EXPECT_EQ(program->failure(), "sh exited with status 3: no such table");
}

}  // namespace
