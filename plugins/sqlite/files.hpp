// Small POSIX file helpers: the few calls the engine needs, with errors turned into
// plugin::error carrying the right status (descriptors are SDK unique_fd).
#pragma once

#include <holdfast/abi.h>
#include <holdfast/plugin/unique_fd.hpp>

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>

namespace holdfast::engines::sqlite {

// ENOSPC -> HF_ERR_NO_SPACE, EACCES -> HF_ERR_PERMISSION, ENOENT -> HF_ERR_NOT_FOUND, else HF_ERR_IO.
hf_status status_for_errno(int err) noexcept;
// Throws plugin::error("<what>: <strerror(err)>").
[[noreturn]] void throw_errno(const std::string& what, int err);

plugin::unique_fd open_file(const std::filesystem::path& path, int flags, const std::string& what);
// Reads up to buffer.size() bytes; 0 at end of file. Retries EINTR.
std::size_t read_some(int fd, std::span<std::byte> buffer, const std::string& what);
void write_all(int fd, std::span<const std::byte> data, const std::string& what);
void sync_file(int fd, const std::string& what);
// Makes renames and links inside `directory` durable.
void sync_directory(const std::filesystem::path& directory);

}  // namespace holdfast::engines::sqlite
