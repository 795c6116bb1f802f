// Option values shared by commands, built in one translation unit. program_options'
// typed_value<std::string>::notify, instantiated wherever po::value<std::string>() is
// written, trips GCC 12's -Wnull-dereference (a false positive inside Boost) in some
// translation units and not others; building the value here keeps the commands clean.
#pragma once

#include <boost/program_options.hpp>

namespace holdfast::cli {

// po::value<std::string>()->value_name(name), owned by the options_description it is added to.
boost::program_options::value_semantic* text_value(const char* value_name);

// po::value<std::vector<std::string>>()->value_name(name): one text per occurrence of a
// repeatable option (the same warning, for vectors).
boost::program_options::value_semantic* text_list_value(const char* value_name);

}  // namespace holdfast::cli
