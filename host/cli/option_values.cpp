#include "cli/option_values.hpp"

#include <string>
#include <vector>

namespace holdfast::cli {

boost::program_options::value_semantic* text_value(const char* value_name) {
    return boost::program_options::value<std::string>()->value_name(value_name);
}

boost::program_options::value_semantic* text_list_value(const char* value_name) {
    return boost::program_options::value<std::vector<std::string>>()->value_name(value_name);
}

}  // namespace holdfast::cli
