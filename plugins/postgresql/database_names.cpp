#include "database_names.hpp"

#include <unistd.h>

#include <ctime>

namespace holdfast::engines::postgresql {

namespace {
constexpr std::size_t max_name_bytes = 63;
}

std::string suffixed_name(std::string_view base, std::string_view suffix) {
    std::size_t keep = base.size();
    if (keep + suffix.size() > max_name_bytes) {
        keep = max_name_bytes > suffix.size() ? max_name_bytes - suffix.size() : 0;
        // Do not cut a multi-byte character in half.
        while (keep > 0 && (static_cast<unsigned char>(base[keep]) & 0xC0) == 0x80) --keep;
    }
    return std::string(base.substr(0, keep)) + std::string(suffix);
}

std::string time_suffix(std::time_t when) {
    std::tm utc{};
    gmtime_r(&when, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &utc);
    return text;
}

bool made_by_restore(std::string_view name) {
    for (std::string_view marker : {previous_marker, rolled_back_marker, temporary_marker}) {
        const auto at = name.rfind(marker);
        if (at == std::string_view::npos || at == 0) continue;
        const std::string_view rest = name.substr(at + marker.size());
        if (!rest.empty() && rest.find_first_not_of("0123456789") == std::string_view::npos) return true;
    }
    return false;
}

std::string temporary_name(std::string_view database) {
    return suffixed_name(database, std::string(temporary_marker) + std::to_string(::getpid()));
}

namespace {

std::string free_name(std::string_view database, std::string_view marker,
                      const std::function<bool(const std::string&)>& taken) {
    for (std::time_t when = std::time(nullptr);; ++when) {
        std::string name = suffixed_name(database, std::string(marker) + time_suffix(when));
        if (!taken(name)) return name;
    }
}

}  // namespace

std::string previous_name(std::string_view database, const std::function<bool(const std::string&)>& taken) {
    return free_name(database, previous_marker, taken);
}

std::string rolled_back_name(std::string_view database, const std::function<bool(const std::string&)>& taken) {
    return free_name(database, rolled_back_marker, taken);
}

}  // namespace holdfast::engines::postgresql
