// Header-only C++, for plugins and the host alike: how an arbitrary name (a database's, a
// file's) becomes one segment of a stream name. Stream names are '.'-separated segments
// without '/', '\\' or ".." (engine.h), so '%', '.', '/' and '\\' are written %25, %2E, %2F,
// %5C; everything else, non-ASCII UTF-8 included, stays as it is. An engine that names its
// streams "<kind>.<segment>" this way lets `holdfast dump <snapshot> <name>` find a stream by
// the plain name.
#pragma once

#include <string>
#include <string_view>

namespace holdfast {

inline std::string encode_stream_segment(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        switch (c) {
            case '%': out += "%25"; break;
            case '.': out += "%2E"; break;
            case '/': out += "%2F"; break;
            case '\\': out += "%5C"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace holdfast
