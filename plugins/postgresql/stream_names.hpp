// Stream names of a postgresql snapshot: "globals", and "database.<name>" with '%', '.', '/'
// and '\' of the name written as %25, %2E, %2F, %5C (stream names are '.'-separated segments
// and may not hold a slash). `holdfast dump` applies the same rule to find a database's stream.
#pragma once

#include <string>
#include <string_view>

namespace holdfast::engines::postgresql {

inline constexpr std::string_view globals_stream = "globals";

std::string database_stream(std::string_view database);

}  // namespace holdfast::engines::postgresql
