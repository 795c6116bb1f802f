#include "cli/kdf_option.hpp"

#include <bit>
#include <string>

namespace holdfast::cli {
namespace {

// Below 2^10 a guess costs next to nothing; above 2^19 (r = 8: 512 MiB) the
// slot would approach the memory limit readers accept (scrypt_default_max_memory).
constexpr std::uint64_t min_n = std::uint64_t{1} << 10;
constexpr std::uint64_t max_n = std::uint64_t{1} << 19;

}  // namespace

void add_kdf_option(po::options_description& desc) {
    desc.add_options()("kdf-n", po::value<std::uint64_t>()->value_name("N"),
                       ("scrypt cost N of the new key slot: a power of two from 1024 to 524288 (default " +
                        std::to_string(repository::scrypt_params{}.n) +
                        "); lower is faster to open and faster to guess")
                           .c_str());
}

repository::scrypt_params kdf_from(const po::variables_map& vm) {
    repository::scrypt_params kdf;
    if (!vm.count("kdf-n")) return kdf;
    const auto n = vm["kdf-n"].as<std::uint64_t>();
    if (!std::has_single_bit(n) || n < min_n || n > max_n)
        throw usage_error("--kdf-n must be a power of two from " + std::to_string(min_n) + " to " +
                          std::to_string(max_n) + ", got " + std::to_string(n));
    kdf.n = n;
    return kdf;
}

}  // namespace holdfast::cli
