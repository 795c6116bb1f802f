// The sqlite engine's settings: which database file.
#pragma once

#include <filesystem>
#include <string_view>

namespace holdfast::engines::sqlite {

struct settings {
    std::filesystem::path path;  // absolute, lexically normal
};

// {"path": "/abs/file.db"} or {"url": "sqlite:///abs/file.db"}. Throws
// plugin::error(HF_ERR_INVALID_ARGUMENT).
settings parse_settings(std::string_view json);

// "sqlite:///abs/path.db" -> "/abs/path.db" (percent escapes decoded).
std::filesystem::path path_from_url(std::string_view url);

}  // namespace holdfast::engines::sqlite
