// What every command shares: its table row, option parsing that turns Boost's exceptions into our
// usage errors, and a --help layout (usage, summary, options, examples).
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

namespace ptvsd {

namespace po = boost::program_options;

using Arguments = std::vector<std::string>;

struct Command {
  std::string_view name;
  std::string_view summary;  // one line, for the tool's --help
  std::string_view usage;    // "ptvsd-publish publish [options]"
  std::string_view examples;
  int (*run)(const Command& self, const Arguments& arguments);
};

// The table of commands, in the order --help lists them.
const std::vector<Command>& commands();

// Parses `arguments` against `options` (plus --help) and, if given, one repeatable positional
// option. Returns false when --help was asked for and has been printed to stdout. Throws
// Error(usage) for anything Boost rejects.
bool parse_command_line(const Command& command, const Arguments& arguments,
                        const po::options_description& options, po::variables_map& values,
                        const char* positional = nullptr);

// The whole tool: `ptvsd-publish <command> ...`. Prints errors in MSBuild's format and returns the
// exit code; main() is a call to this.
int run_tool(int argc, const char* const* argv);

}  // namespace ptvsd
