// Atomic, durable replacement of one file.
#pragma once

#include "root_directory.hpp"

#include <holdfast/plugin/common.hpp>

#include <cstddef>
#include <span>
#include <string_view>

namespace holdfast::local {

// Store `data` as `name` in `dir` so that a reader sees the old file, or none,
// or the whole new one, even if the process or machine dies mid-call:
// write a temporary file in the same directory, fsync it, rename it over
// `name`, fsync the directory. On failure the temporary file is removed and
// the old file is untouched.
//
// With `if_absent`, fail with HF_ERR_ALREADY_EXISTS when `name` exists, decided
// atomically by the kernel (renameat2(RENAME_NOREPLACE), or link(2) where the
// file system lacks it), so two concurrent writers cannot both win.
void atomic_write(const directory& dir, std::string_view name, std::span<const std::byte> data, bool if_absent,
                  const plugin::host_services& host);

}  // namespace holdfast::local
