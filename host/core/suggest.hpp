// "Did you mean ...?" for mistyped names (commands, settings, plugins).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast {

// Edit distance (insertions, deletions, substitutions) between two strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a likely typo
// (distance at most 2, and less than half the word's length).
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace holdfast
