#include "cli/units.hpp"

#include "core/error.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <limits>

namespace holdfast::cli {

std::string human_bytes(std::uint64_t bytes) {
    constexpr std::array<const char*, 7> units{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) return std::to_string(bytes) + " B";
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < units.size()) {
        value /= 1024.0;
        ++unit;
    }
    std::array<char, 32> text{};
    const int decimals = value < 10 ? 2 : value < 100 ? 1 : 0;
    std::snprintf(text.data(), text.size(), "%.*f %s", decimals, value, units[unit]);
    return text.data();
}

std::uint64_t parse_byte_size(std::string_view text, std::string_view option) {
    auto bad = [&] {
        return usage_error("--" + std::string(option) + ": '" + std::string(text) +
                           "' is not a byte count (like 65536, 64K, 64KiB, 16M)");
    };
    std::uint64_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end == text.data()) throw bad();
    std::string suffix(end, text.data() + text.size());
    for (auto& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (suffix.size() == 3 && suffix.substr(1) == "IB") suffix.resize(1);
    else if (suffix.size() == 2 && suffix[1] == 'B' && suffix[0] != 'B') suffix.resize(1);
    int shift = 0;
    if (suffix.empty() || suffix == "B") shift = 0;
    else if (suffix == "K") shift = 10;
    else if (suffix == "M") shift = 20;
    else if (suffix == "G") shift = 30;
    else throw bad();
    if (number > (std::numeric_limits<std::uint64_t>::max() >> shift)) throw bad();
    return number << shift;
}

std::string local_time(repository::utc_time time) {
    const std::time_t seconds =
        std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(time));
    std::tm local{};
    if (::localtime_r(&seconds, &local) == nullptr) return repository::format_utc(time);
    std::array<char, 32> text{};
    std::strftime(text.data(), text.size(), "%Y-%m-%d %H:%M:%S", &local);
    return text.data();
}

std::string ratio(std::uint64_t numerator, std::uint64_t denominator) {
    if (denominator == 0) return "-";
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.2fx", static_cast<double>(numerator) / static_cast<double>(denominator));
    return text.data();
}

}  // namespace holdfast::cli
