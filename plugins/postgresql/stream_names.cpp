#include "stream_names.hpp"

namespace holdfast::engines::postgresql {

std::string database_stream(std::string_view database) {
    std::string out = "database.";
    for (char c : database) {
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

}  // namespace holdfast::engines::postgresql
