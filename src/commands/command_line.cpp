#include "commands/command_line.h"

#include <algorithm>
#include <iostream>

#include "core/diagnostics.h"

namespace ptvsd {

namespace {

constexpr std::string_view tool_help = R"(Keeps the remote-debugging secret (WSGI_PTVSD_SECRET) and web.debug.config of a Python
web app on IIS / Azure App Service fresh on every Debug publish.

)";

constexpr std::string_view exit_codes = R"(
Exit codes: 0 success; 1 internal error; 2 usage error; 3 bad input (XML, template, config);
4 file system error; 5 the project is locked by another run. Errors read
"file(line,col): error PTVSDnnn: message", as MSBuild expects.
)";

void print_tool_help(std::ostream& out) {
  out << "usage: ptvsd-publish <command> [options]\n\n" << tool_help << "Commands:\n";
  for (const auto& command : commands()) {
    out << "  " << command.name << std::string(10 - command.name.size(), ' ') << command.summary
        << "\n";
  }
  out << "\nOptions:\n  --help     show this help\n  --version  show the version\n\n"
      << "Run 'ptvsd-publish <command> --help' for a command's options and examples.\n"
      << exit_codes;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string unknown_command_message(std::string_view name) {
  std::string message = "unknown command '" + std::string(name) + "'";
  const Command* best = nullptr;
  std::size_t best_distance = 3;  // farther than two edits is not a typo
  for (const auto& command : commands()) {
    const auto distance = edit_distance(name, command.name);
    if (distance < best_distance) {
      best = &command;
      best_distance = distance;
    }
  }
  if (best != nullptr) message += "; did you mean '" + std::string(best->name) + "'?";
  return message + " (see 'ptvsd-publish --help')";
}

int dispatch(const Arguments& arguments) {
  if (arguments.empty()) {
    print_tool_help(std::cerr);
    return static_cast<int>(ExitCode::usage);
  }
  const auto& name = arguments.front();
  if (name == "--help" || name == "-h" || name == "help") {
    print_tool_help(std::cout);
    return 0;
  }
  if (name == "--version") {
    std::cout << "ptvsd-publish " << PTVSD_VERSION << "\n";
    return 0;
  }
  for (const auto& command : commands()) {
    if (command.name == name) return command.run(command, Arguments(arguments.begin() + 1, arguments.end()));
  }
  throw Error(Code::usage, {}, unknown_command_message(name));
}

}  // namespace

bool parse_command_line(const Command& command, const Arguments& arguments,
                        const po::options_description& options, po::variables_map& values,
                        const char* positional) {
  po::options_description all("Options");
  all.add(options);
  all.add_options()("help,h", "show this help");
  po::positional_options_description positionals;
  if (positional != nullptr) positionals.add(positional, -1);
  try {
    po::store(po::command_line_parser(arguments).options(all).positional(positionals).run(), values);
    if (values.count("help") != 0) {
      std::cout << "usage: " << command.usage << "\n\n"
                << command.summary << "\n\n"
                << all << "\nExamples:\n"
                << command.examples << exit_codes;
      return false;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw Error(Code::usage, {},
                std::string(command.name) + ": " + error.what() + " (see 'ptvsd-publish " +
                    std::string(command.name) + " --help')");
  }
  return true;
}

int run_tool(int argc, const char* const* argv) {
  try {
    return dispatch(Arguments(argv + 1, argv + argc));
  } catch (const Error& error) {
    std::cerr << format_error(error) << "\n";
    return static_cast<int>(error.exit_code());
  } catch (const std::exception& error) {
    std::cerr << format_diagnostic(Severity::error, Code::internal, {}, error.what()) << "\n";
    return static_cast<int>(ExitCode::internal);
  }
}

}  // namespace ptvsd
