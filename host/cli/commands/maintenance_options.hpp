// The options of check, forget and prune, and how their values are read. String values
// come from cli/option_values.hpp (see there why).
#pragma once

#include "cli/command.hpp"
#include "maintenance/prune.hpp"

#include <string_view>

namespace holdfast::cli {

// "25%", "2.5%" or a fraction "0.25", as a fraction in [0, 1] (or (0, 1] unless
// `allow_zero`). Throws usage_error naming `option`.
double parse_fraction(std::string_view text, std::string_view option, bool allow_zero);

// --read-data, --read-data-subset, --read-data-seed.
void add_check_options(po::options_description& desc);
// --keep-*, --source, --tag, --dry-run, --prune.
void add_forget_options(po::options_description& desc);
// --max-repack-ratio, --orphan-grace.
void add_prune_options(po::options_description& desc);
// The prune options as prune_options (dry_run and the hooks are the caller's).
maintenance::prune_options prune_options_from(const po::variables_map& vm);

}  // namespace holdfast::cli
