#include "stream_names.hpp"

#include <holdfast/stream_name.hpp>

namespace holdfast::engines::postgresql {

std::string database_stream(std::string_view database) { return "database." + encode_stream_segment(database); }

}  // namespace holdfast::engines::postgresql
