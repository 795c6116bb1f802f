// Naming a stream by what it holds: `holdfast dump <snapshot> app` finds the stream
// `database.app`. Engines name streams `<segment>.<name>`, with the characters a stream
// name cannot carry in a segment written as %XX (docs/engines/postgresql.md, "Streams"),
// so the user types the database's plain name. The encoding is the SDK's, shared with the
// engines.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::cli {

// The stream `wanted` names among `streams`: the one called exactly that, else the only one
// called `<segment>.<holdfast::encode_stream_segment(wanted)>` (holdfast/stream_name.hpp);
// nullopt when none is. Throws usage_error when several are, naming them.
std::optional<std::string> find_stream(const std::vector<std::string>& streams, std::string_view wanted);

}  // namespace holdfast::cli
