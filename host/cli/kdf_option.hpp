// --kdf-n: the scrypt cost of a new key slot (init, key add, key passwd). The
// default is the repository layer's; a lower cost makes each password guess
// cheaper too, so it is for throwaway repositories (tests) and small machines.
#pragma once

#include "cli/command.hpp"
#include "repository/crypto.hpp"

namespace holdfast::cli {

void add_kdf_option(po::options_description& desc);

// The scrypt parameters for a new key slot. Throws usage_error when --kdf-n is
// not a power of two in the accepted range.
repository::scrypt_params kdf_from(const po::variables_map& vm);

}  // namespace holdfast::cli
