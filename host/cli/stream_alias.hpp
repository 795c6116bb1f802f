// Naming a stream by what it holds: `holdfast dump <snapshot> app` finds the stream
// `database.app`. Engines name streams `<segment>.<name>`, with the characters a stream
// name cannot carry in a segment written as %XX (docs/engines/postgresql.md, "Streams"),
// so the user types the database's plain name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::cli {

// `name` as one segment of a stream name: '%', '.', '/' and '\' written %25, %2E, %2F, %5C.
std::string encode_stream_segment(std::string_view name);

// The stream `wanted` names among `streams`: the one called exactly that, else the only one
// called `<segment>.<encode_stream_segment(wanted)>`; nullopt when none is. Throws
// usage_error when several are, naming them.
std::optional<std::string> find_stream(const std::vector<std::string>& streams, std::string_view wanted);

}  // namespace holdfast::cli
