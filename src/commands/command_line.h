// What every command shares: its table row, and option parsing that turns Boost's exceptions into
// our usage errors, with the options the row asks for (its own; --format, --ci, --quiet, ...;
// --reveal, --secret-bytes and the like for secrets, --lock-timeout for locks) and a --help layout. The executor
// (commands/executor.h) runs a command and prints its report.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "commands/plan.h"
#include "core/output.h"

namespace ptvsd {

namespace po = boost::program_options;

using Arguments = std::vector<std::string>;

struct OutputOptions {
  Format format = Format::text;
  Ci ci = Ci::none;
  bool quiet = false;
  bool verbose = false;
  bool colour = false;      // --color, or at a terminal without NO_COLOR or TERM=dumb
  bool reveal = false;      // print the secret(s): --reveal, or `url` not handing its URL on
  std::string export_name;  // set them as a secret pipeline variable
  std::string secret_file;  // write the one secret to a new 0600 file
};

// One option of a command's table, as shell completions need it (the table --help prints).
struct OptionSummary {
  std::string name;         // "--format"; empty for the command's positional arguments
  char short_name = '\0';   // 'q' for -q, or none
  std::string placeholder;  // "text|json", "DIR"; empty for a switch
  std::string description;
};

// One run of one command: the options every command shares, and what it reports.
struct Context {
  OutputOptions output;
  Report report;
  EnvironmentLookup environment;
  std::chrono::milliseconds lock_timeout{0};  // --lock-timeout, for a command that takes locks
  long long secret_bytes = 0;                 // --secret-bytes, for a command that makes secrets
  std::size_t masked = 0;                     // report.secrets[0, masked) had their masking lines printed
  bool delivered = false;                     // --secret-file and --export are done
};

struct Command;

// What a command does with a secret: `produced` (it makes one) offers --secret-bytes, --reveal,
// --export and --secret-file; `revealed` (it prints one: url) offers the same, and prints the secret unless
// --export or --secret-file hands it on.
enum class Secrets { none, produced, revealed };

// How a command runs: a command that changes files returns its work, which the executor does
// (locks, replacement, delivery); any other acts itself and returns its exit code. Either way it
// parses its options first, and returns nothing to do (0, or no steps) after --help.
struct Action {
  using Plans = Work (*)(const Command& self, const Arguments& arguments, Context& context);
  using Acts = int (*)(const Command& self, const Arguments& arguments, Context& context);
  Action(Plans planning) : plan(planning) {}  // NOLINT(google-explicit-constructor): table rows
  Action(Acts acting) : run(acting) {}        // NOLINT(google-explicit-constructor)
  Plans plan = nullptr;
  Acts run = nullptr;
};

// A command's own options, unbound: the command reads their values from the parsed map, so the
// table alone can list them (--help, completions).
using DescribeOptions = void (*)(po::options_description& options);

// A row of the command table, as ninja's tools are: what the command is called and says in --help,
// what it needs from the tool (its options, the shared ones its secrets and locks bring), and what
// runs it.
struct Command {
  std::string_view name;
  std::string_view summary;  // one line, for the tool's --help
  std::string_view usage;    // "ptvsd-publish publish [options]"
  std::string_view examples;
  DescribeOptions options;
  const char* positional;  // the option that positional arguments fill, or none
  Secrets secrets;
  bool takes_locks;  // its steps lock folders: offers --lock-timeout (Context::lock_timeout)
  Action action;
  std::string_view exit_codes = {};  // a command's own codes, listed before the tool's in --help
};

// The table of commands, in the order --help lists them.
const std::vector<Command>& commands();

// The options of the tool itself (--help, --version), as its --help lists them.
const std::vector<OptionSummary>& tool_options();

// Runs the command the first argument names (run_command), or prints the tool's --help or
// --version. Returns the exit code; throws Error(usage) for an unknown command.
int dispatch(const Arguments& arguments, Context& context);

// What a run shows before any command has parsed its options, so that an early error is shown as
// asked: JSON if --format json is anywhere on the line, colours as --color auto has them.
void preset_output_options(const Arguments& arguments, Context& context);

// Every option of `command`, as its --help lists them; the positional one has no name.
std::vector<OptionSummary> option_summaries(const Command& command);

// Parses `arguments` against every option of `command` (its own, the shared ones its row asks for
// and --help) into `values`, and the shared ones into `context`. Returns false when --help was
// asked for and has been printed to stdout. Throws Error(usage) for anything Boost rejects or an
// impossible combination.
bool parse_command_line(const Command& command, const Arguments& arguments, po::variables_map& values,
                        Context& context);

// The value of a command's option that takes text, or "" when it was not given.
std::string text_option(const po::variables_map& values, const char* name);

}  // namespace ptvsd
