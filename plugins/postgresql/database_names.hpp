// Names of the databases a restore makes: the temporary one it restores into, the kept
// previous one, the scratch ones of a drill. PostgreSQL truncates names to 63 bytes; we cut
// the base name ourselves (on a UTF-8 boundary) so the suffix always survives.
#pragma once

#include <ctime>
#include <functional>
#include <string>
#include <string_view>

namespace holdfast::engines::postgresql {

std::string suffixed_name(std::string_view base, std::string_view suffix);
// "20261121153000" (UTC): sorts by time.
std::string time_suffix(std::time_t when);
std::string temporary_name(std::string_view database);    // <name>_holdfast_<pid>
// <name>_pre_restore_<time> and <name>_rolled_back_<time>, at the first second from now on
// for which `taken` says the name is free: two restores within one second must not collide.
std::string previous_name(std::string_view database, const std::function<bool(const std::string&)>& taken);
std::string rolled_back_name(std::string_view database, const std::function<bool(const std::string&)>& taken);
inline constexpr std::string_view previous_marker = "_pre_restore_";
inline constexpr std::string_view rolled_back_marker = "_rolled_back_";
inline constexpr std::string_view temporary_marker = "_holdfast_";
// A database a restore made: kept previous, rolled back, or temporary (name ends in a
// marker and digits / a time). Backups leave them out unless asked for by name.
bool made_by_restore(std::string_view name);

}  // namespace holdfast::engines::postgresql
