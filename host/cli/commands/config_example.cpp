// `holdfast config example`: print the commented example configuration.
#include "cli/commands/commands.hpp"
#include "config/example.hpp"

#include <ostream>

namespace holdfast::cli {

command config_example_command() {
    return {
        "config example",
        "print a commented example configuration",
        "holdfast config example",
        "Prints a commented example configuration file (the same as examples/holdfast.yaml) to start "
        "from: holdfast config example > holdfast.yaml",
        [](po::options_description&, po::positional_options_description&) {},
        [](context& ctx, const po::variables_map&) {
            ctx.out << config::example_config();
            return 0;
        },
        {},  // no engine options
    };
}

}  // namespace holdfast::cli
