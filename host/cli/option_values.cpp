#include "cli/option_values.hpp"

#include <string>

namespace holdfast::cli {

boost::program_options::value_semantic* text_value(const char* value_name) {
    return boost::program_options::value<std::string>()->value_name(value_name);
}

}  // namespace holdfast::cli
