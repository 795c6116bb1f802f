// The storage contract, run against the local plugin.
#include "local_backend.hpp"

namespace holdfast::testing {

INSTANTIATE_TEST_SUITE_P(local, storage_contract,
                         ::testing::Values(storage_backend_factory{
                             "local", [] { return std::make_unique<local_backend>(); }}),
                         backend_name);

}  // namespace holdfast::testing
