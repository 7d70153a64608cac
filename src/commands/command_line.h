// What every command shares: its table row, option parsing that turns Boost's exceptions into our
// usage errors, the output options (--format, --ci, --quiet, ...), a --help layout, and the one
// place that prints a command's report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "core/output.h"

namespace ptvsd {

namespace po = boost::program_options;

using Arguments = std::vector<std::string>;

struct OutputOptions {
  Format format = Format::text;
  Ci ci = Ci::none;
  bool quiet = false;
  bool verbose = false;
  bool colour = false;        // stderr is a terminal and NO_COLOR is not set
  bool reveal = false;        // print the secret(s) the command produced
  std::string export_name;    // set them as a secret pipeline variable
  std::string secret_file;    // write the one secret to a new 0600 file
};

// One run of one command: its options and what it reports.
struct Context {
  OutputOptions output;
  Report report;
  EnvironmentLookup environment;
};

struct Command {
  std::string_view name;
  std::string_view summary;  // one line, for the tool's --help
  std::string_view usage;    // "ptvsd-publish publish [options]"
  std::string_view examples;
  bool produces_secrets;     // offers --reveal, --export, --secret-file
  int (*run)(const Command& self, const Arguments& arguments, Context& context);
  std::string_view exit_codes = {};  // a command's own codes, listed before the tool's in --help
};

// The table of commands, in the order --help lists them.
const std::vector<Command>& commands();

// Parses `arguments` against `options` plus the shared output options and --help, and, if given,
// one repeatable positional option. Returns false when --help was asked for and has been printed
// to stdout. Throws Error(usage) for anything Boost rejects or an impossible combination.
bool parse_command_line(const Command& command, const Arguments& arguments,
                        const po::options_description& options, po::variables_map& values,
                        Context& context, const char* positional = nullptr);

// The whole tool: `ptvsd-publish <command> ...`. Prints the report (errors in MSBuild's format,
// or JSON) and returns the exit code; main() is a call to this.
int run_tool(int argc, const char* const* argv);

}  // namespace ptvsd
