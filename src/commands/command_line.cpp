#include "commands/command_line.h"

#include <algorithm>
#include <cmath>
#include <iostream>

#include "commands/executor.h"
#include "core/diagnostics.h"
#include "core/files.h"
#include "core/option_text.h"
#include "core/platform.h"
#include "core/secret.h"

namespace ptvsd {

namespace {

constexpr std::string_view tool_help =
    R"(Keeps the remote-debugging secret (WSGI_PTVSD_SECRET) and web.debug.config of a Python
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
    out << "  " << command.name << std::string(12 - std::min<std::size_t>(command.name.size(), 11), ' ')
        << command.summary << "\n";
  }
  out << "\nOptions:\n";
  for (const auto& option : tool_options()) {
    out << "  " << option.name << std::string(11 - option.name.size(), ' ') << option.description << "\n";
  }
  out << "\nRun 'ptvsd-publish help <command>' (or '<command> --help') for a command's options and examples.\n"
      << exit_codes;
}

}  // namespace

const std::vector<OptionSummary>& tool_options() {
  static const std::vector<OptionSummary> table = {
      {"--help", 'h', {}, "show this help"},
      {"--version", '\0', {}, "show the version"},
  };
  return table;
}

namespace {

std::string unknown_command_message(std::string_view name) {
  std::string message = "unknown command '" + std::string(name) + "'";
  std::vector<std::string_view> names;
  for (const auto& command : commands()) names.push_back(command.name);
  if (const auto best = closest(name, names)) message += "; did you mean '" + std::string(*best) + "'?";
  return message + " (see 'ptvsd-publish --help')";
}

const Command& command_named(std::string_view name) {
  for (const auto& command : commands()) {
    if (command.name == name) return command;
  }
  throw Error(Code::usage, {}, unknown_command_message(name));
}

}  // namespace

int dispatch(const Arguments& arguments, Context& context) {
  if (arguments.empty()) {
    print_tool_help(std::cerr);
    return static_cast<int>(ExitCode::usage);
  }
  const auto& name = arguments.front();
  if (name == "help" && arguments.size() > 1) {  // `help <command>`, as git has it
    const auto& command = command_named(arguments[1]);
    context.report.command = command.name;
    return run_command(command, {"--help"}, context);
  }
  if (name == "--help" || name == "-h" || name == "help") {
    print_tool_help(std::cout);
    return 0;
  }
  if (name == "--version") {
    std::cout << "ptvsd-publish " << PTVSD_VERSION << "\n";
    return 0;
  }
  const auto& command = command_named(name);
  context.report.command = name;
  return run_command(command, Arguments(arguments.begin() + 1, arguments.end()), context);
}

namespace {

// Errors may come before the options are parsed, and must still be JSON when JSON was asked for.
Format requested_format(const Arguments& arguments) {
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == "--format=json" ||
        (arguments[i] == "--format" && i + 1 < arguments.size() && arguments[i + 1] == "json")) {
      return Format::json;
    }
  }
  return Format::text;
}

// Colours as git and ripgrep decide them: `auto` is a terminal that is not TERM=dumb, and
// NO_COLOR unset or empty (no-color.org); `always` and `never` are what they say.
bool colour_wanted(std::string_view choice, const EnvironmentLookup& environment) {
  if (choice == "always") return true;
  if (choice == "never") return false;
  if (choice != "auto")
    throw Error(Code::usage, {}, "--color takes auto, always or never: '" + std::string(choice) + "'");
  const auto no_colour = environment("NO_COLOR");
  return platform::stderr_is_terminal() && (!no_colour || no_colour->empty()) && environment("TERM") != "dumb";
}

// Up to a day: a pipeline may queue behind a long run, but a number beyond that is a mistake.
std::chrono::milliseconds lock_timeout_from(double seconds) {
  constexpr double day = 24 * 60 * 60;
  if (!(seconds >= 0 && seconds <= day)) {  // also false for NaN
    throw Error(Code::usage, {}, "--lock-timeout takes seconds from 0 to 86400");
  }
  return std::chrono::milliseconds(std::llround(seconds * 1000));
}

// Everything that could refuse the secret's delivery is checked here, before the command writes.
void check_output_options(const OutputOptions& output, const EnvironmentLookup& environment) {
  if (!output.export_name.empty()) {
    if (output.ci != Ci::github && output.ci != Ci::azure) {
      throw Error(Code::usage, {},
                  "--export needs --ci github or azure (GitLab cannot create a masked variable at run "
                  "time: use --secret-file)");
    }
    require_variable_name(output.export_name);
    if (output.ci == Ci::github && !environment("GITHUB_OUTPUT")) {
      throw Error(Code::usage, {}, "--export with --ci github needs $GITHUB_OUTPUT (set by the runner)");
    }
  }
  // A dangling link counts: the file is created where it is named, never through a link. The
  // rename that creates it checks again (files::AtomicFile, must_be_new).
  if (!output.secret_file.empty() && files::name_taken(output.secret_file)) {
    throw Error(Code::write_failed, {output.secret_file, 0, 0},
                "--secret-file must name a new file; this one (or a link) exists (remove it first)");
  }
}

// The options every command shares, and those its row asks for, after its own.
void add_shared_options(po::options_description& options, const Command& command) {
  // One option a line, as --help prints them; clang-format would pack the chain.
  // clang-format off
  if (command.secrets == Secrets::produced) {
    options.add_options()
        ("secret-bytes", po::value<long long>()->default_value(static_cast<long long>(Secret::default_bytes))->value_name("N"),
         "random bytes in a new secret, 16 to 64 (128 to 512 bits); encoded as base64url without "
         "padding (43 characters for 32)");
  }
  if (command.takes_locks) {
    options.add_options()
        ("lock-timeout", po::value<double>()->default_value(60)->value_name("S"),
         "seconds to wait while another run (publish or rotate) replaces files in the same folder");
  }
  options.add_options()
      ("color", po::value<std::string>()->default_value("auto")->value_name("auto|always|never"),
       "auto, always or never: colour 'error' and 'warning' (auto: at a terminal, not TERM=dumb or NO_COLOR)")
      ("format", po::value<std::string>()->default_value("text")->value_name("text|json"), "text (for people) or json (one document on stdout)")
      ("ci", po::value<std::string>()->default_value("none")->value_name("github|azure|gitlab|auto|none"),
       "github, azure, gitlab, auto or none: mask a revealed secret with that CI's command first")
      ("quiet,q", po::bool_switch(), "print no summary, only warnings and errors")
      ("verbose,v", po::bool_switch(), "print what was decided and why");
  if (command.secrets != Secrets::none) {
    options.add_options()
        ("reveal", po::bool_switch(), "print the new secret (masked first with --ci)")
        ("export", po::value<std::string>()->value_name("NAME"),
         "set the secret as a secret pipeline variable NAME (--ci github: $GITHUB_OUTPUT; azure: "
         "task.setvariable issecret=true); never printed in clear")
        ("secret-file", po::value<std::string>()->value_name("FILE"), "write the secret alone to this new 0600 file");
  }
  // clang-format on
  options.add_options()("help,h", "show this help");
}

po::options_description all_options(const Command& command) {
  po::options_description all;
  if (command.options != nullptr) command.options(all);
  add_shared_options(all, command);
  return all;
}

// The shared options' values, checked, into `context`.
void read_shared_options(const Command& command, const po::variables_map& values, Context& context) {
  auto& output = context.output;
  const auto format = values["format"].as<std::string>();
  if (format != "text" && format != "json") {
    throw Error(Code::usage, {}, "--format takes text or json: '" + format + "'");
  }
  output.quiet = values["quiet"].as<bool>();
  output.verbose = values["verbose"].as<bool>();
  if (output.quiet && output.verbose) {
    throw Error(Code::usage, {},
                std::string(command.name) + ": --quiet and --verbose ask for opposite things: give one");
  }
  output.format = format == "json" ? Format::json : Format::text;
  output.ci = parse_ci(values["ci"].as<std::string>(), context.environment);
  output.colour = colour_wanted(values["color"].as<std::string>(), context.environment);
  if (command.secrets != Secrets::none) {
    output.reveal = values["reveal"].as<bool>();
    output.export_name = text_option(values, "export");
    output.secret_file = text_option(values, "secret-file");
  }
  check_output_options(output, context.environment);
  if (command.secrets == Secrets::produced) context.secret_bytes = values["secret-bytes"].as<long long>();
  if (command.takes_locks) context.lock_timeout = lock_timeout_from(values["lock-timeout"].as<double>());
  if (command.secrets == Secrets::revealed && output.export_name.empty() && output.secret_file.empty()) {
    output.reveal = true;
  }
}

}  // namespace

void preset_output_options(const Arguments& arguments, Context& context) {
  context.output.format = requested_format(arguments);
  context.output.colour = colour_wanted("auto", context.environment);
}

std::vector<OptionSummary> option_summaries(const Command& command) {
  std::vector<OptionSummary> summaries;
  const auto all = all_options(command);
  for (const auto& option : all.options()) {
    const auto display = option->format_name();  // "-q [ --quiet ]" or "--project"
    OptionSummary summary{
        "--" + option->long_name(), display.rfind("--", 0) == 0 ? '\0' : display[1], {}, option->description()};
    if (option->semantic()->max_tokens() > 0) {
      const auto name = option->semantic()->name();  // "DIR", or "text|json (=text)" with a default
      summary.placeholder = name.substr(0, name.find(" (="));
    }
    if (command.positional != nullptr && option->long_name() == command.positional) summary.name.clear();
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

bool parse_command_line(const Command& command, const Arguments& arguments, po::variables_map& values,
                        Context& context) {
  const auto all = all_options(command);
  po::positional_options_description positionals;
  if (command.positional != nullptr) positionals.add(command.positional, -1);
  try {
    po::store(po::command_line_parser(arguments).options(all).positional(positionals).run(), values);
    if (values.count("help") != 0) {
      std::cout << "usage: " << command.usage << "\n\n"
                << command.summary << "\n\n"
                << "Options:\n";
      print_options(std::cout, all);
      std::cout << "\nExamples:\n" << command.examples << command.exit_codes << exit_codes;
      return false;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw Error(Code::usage, {},
                std::string(command.name) + ": " +
                    option_error_text(error, all, arguments, command.name, command.positional) +
                    " (see 'ptvsd-publish " + std::string(command.name) + " --help')");
  }
  read_shared_options(command, values, context);
  return true;
}

std::string text_option(const po::variables_map& values, const char* name) {
  return values.count(name) != 0 ? values[name].as<std::string>() : std::string();
}

}  // namespace ptvsd
