#include "commands/command_line.h"

#include <algorithm>
#include <cmath>
#include <iostream>

#include "commands/executor.h"
#include "core/diagnostics.h"
#include "core/files.h"
#include "core/platform.h"

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
    out << "  " << command.name << std::string(12 - std::min<std::size_t>(command.name.size(), 11), ' ')
        << command.summary
        << "\n";
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

// The candidate at most two edits away from `typed` (farther is not a typo), or nothing.
std::optional<std::string_view> closest(std::string_view typed, const std::vector<std::string_view>& candidates) {
  std::optional<std::string_view> best;
  std::size_t best_distance = 3;
  for (const auto candidate : candidates) {
    const auto distance = edit_distance(typed, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

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
  if (choice != "auto") throw Error(Code::usage, {}, "--color takes auto, always or never: '" + std::string(choice) + "'");
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

void add_output_options(po::options_description& options, OutputOptions& output, std::string& format,
                        std::string& ci, std::string& colour, Secrets secrets) {
  options.add_options()
      ("color", po::value(&colour)->default_value("auto")->value_name("auto|always|never"),
       "auto, always or never: colour 'error' and 'warning' (auto: at a terminal, not TERM=dumb or NO_COLOR)")
      ("format", po::value(&format)->default_value("text")->value_name("text|json"), "text (for people) or json (one document on stdout)")
      ("ci", po::value(&ci)->default_value("none")->value_name("github|azure|gitlab|auto|none"),
       "github, azure, gitlab, auto or none: mask a revealed secret with that CI's command first")
      ("quiet,q", po::bool_switch(&output.quiet), "print no summary, only warnings and errors")
      ("verbose,v", po::bool_switch(&output.verbose), "print what was decided and why");
  if (secrets == Secrets::none) return;
  options.add_options()
      ("reveal", po::bool_switch(&output.reveal), "print the new secret (masked first with --ci)")
      ("export", po::value(&output.export_name)->value_name("NAME"),
       "set the secret as a secret pipeline variable NAME (--ci github: $GITHUB_OUTPUT; azure: "
       "task.setvariable issecret=true); never printed in clear")
      ("secret-file", po::value(&output.secret_file)->value_name("FILE"), "write the secret alone to this new 0600 file");
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

// The value the user gave `option` ("--name value" or "--name=value"), for a message.
std::string value_given(const Arguments& arguments, const std::string& option) {
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == option && i + 1 < arguments.size()) return arguments[i + 1];
    if (arguments[i].rfind(option + "=", 0) == 0) return arguments[i].substr(option.size() + 1);
  }
  return {};
}

std::string first_positional(const Arguments& arguments) {
  for (const auto& argument : arguments) {
    if (argument.empty() || argument[0] != '-') return argument;
  }
  return {};
}

// Words are appended to lines of at most `width` characters, broken at spaces only: Boost's own
// layout cuts a long token in two ("azurewebsites." / "net").
std::vector<std::string> wrapped(std::string_view text, std::size_t width) {
  std::vector<std::string> lines(1);
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = std::min(text.find(' ', at), text.size());
    const auto word = text.substr(at, end - at);
    if (!lines.back().empty() && lines.back().size() + 1 + word.size() > width) lines.emplace_back();
    if (!lines.back().empty()) lines.back() += ' ';
    lines.back() += word;
    at = end + 1;
  }
  return lines;
}

// One option a line: "  -q, --quiet  what it does", the value as a placeholder ("--format
// text|json (=text)"), descriptions wrapped at word boundaries within 100 columns.
void print_options(std::ostream& out, const po::options_description& options) {
  constexpr std::size_t line_width = 100;
  constexpr std::size_t widest_name = 34;
  std::vector<std::string> names;
  std::size_t column = 0;
  for (const auto& option : options.options()) {
    const auto display = option->format_name();  // "-q [ --quiet ]" or "--project"
    std::string name = display.rfind("--", 0) == 0 ? "    " : display.substr(0, 2) + ", ";
    name += "--" + option->long_name();
    const auto parameter = option->format_parameter();
    if (!parameter.empty()) name += " " + parameter;
    column = std::max(column, std::min(name.size(), widest_name));
    names.push_back(std::move(name));
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto lines = wrapped(options.options()[i]->description(), line_width - column - 4);
    out << "  " << names[i];
    if (names[i].size() > column) {
      out << "\n" << std::string(column + 2, ' ');
    } else {
      out << std::string(column - names[i].size(), ' ');
    }
    for (std::size_t line = 0; line < lines.size(); ++line) {
      if (line > 0) out << std::string(column + 2, ' ');
      out << "  " << lines[line] << "\n";
    }
  }
}

// Boost's messages name options the user never typed ("the option '--file' is required"); these
// say, in our words, what was typed and what to type instead.
std::string usage_message(const Command& command, const po::error& error, const po::options_description& all,
                          const Arguments& arguments, const char* positional) {
  const auto* named = dynamic_cast<const po::error_with_option_name*>(&error);
  const std::string option = named != nullptr ? named->get_option_name() : std::string();
  if (dynamic_cast<const po::required_option*>(&error) != nullptr) {
    if (positional != nullptr && option == "--" + std::string(positional)) return "give at least one FILE";
    return "give " + option;
  }
  if (dynamic_cast<const po::unknown_option*>(&error) != nullptr) {
    std::vector<std::string> spelled;
    for (const auto& description : all.options()) spelled.push_back("--" + description->long_name());
    const std::vector<std::string_view> names(spelled.begin(), spelled.end());
    std::string message = "unknown option '" + option + "'";
    const auto typed = option.substr(0, option.find('='));
    if (const auto best = closest(typed, names)) message += "; did you mean '" + std::string(*best) + "'?";
    return message;
  }
  if (const auto* syntax = dynamic_cast<const po::invalid_command_line_syntax*>(&error)) {
    if (syntax->kind() == po::invalid_command_line_syntax::missing_parameter) return option + " needs a value";
    if (syntax->kind() == po::invalid_command_line_syntax::extra_parameter) return option + " takes no value";
  }
  if (dynamic_cast<const po::invalid_option_value*>(&error) != nullptr) {
    return option + " does not take '" + value_given(arguments, option) + "'";
  }
  if (dynamic_cast<const po::multiple_occurrences*>(&error) != nullptr) return option + " is given more than once";
  if (dynamic_cast<const po::ambiguous_option*>(&error) != nullptr) {
    return "'" + option + "' is short for more than one option: spell it out";
  }
  if (dynamic_cast<const po::too_many_positional_options_error*>(&error) != nullptr) {
    return "unexpected argument '" + first_positional(arguments) + "'; " + std::string(command.name) +
           " takes options only";
  }
  return error.what();
}

}  // namespace

void preset_output_options(const Arguments& arguments, Context& context) {
  context.output.format = requested_format(arguments);
  context.output.colour = colour_wanted("auto", context.environment);
}

bool parse_command_line(const Command& command, const Arguments& arguments,
                        const po::options_description& options, po::variables_map& values,
                        Context& context, const char* positional) {
  std::string format;
  std::string ci;
  std::string colour;
  double lock_seconds = 60;
  po::options_description all("Options");
  all.add(options);
  if (command.takes_locks) {
    all.add_options()("lock-timeout", po::value(&lock_seconds)->default_value(lock_seconds)->value_name("S"),
                      "seconds to wait while another run (publish or rotate) replaces files in the same folder");
  }
  add_output_options(all, context.output, format, ci, colour, command.secrets);
  all.add_options()("help,h", "show this help");
  if (context.option_list != nullptr) {  // the same table --help prints, for shell completions
    for (const auto& option : all.options()) {
      const auto display = option->format_name();  // "-q [ --quiet ]" or "--project"
      OptionSummary summary{"--" + option->long_name(), display.rfind("--", 0) == 0 ? '\0' : display[1], {},
                            option->description()};
      if (option->semantic()->max_tokens() > 0) {
        const auto name = option->semantic()->name();  // "DIR", or "text|json (=text)" with a default
        summary.placeholder = name.substr(0, name.find(" (="));
      }
      if (positional != nullptr && option->long_name() == positional) summary.name.clear();
      context.option_list->push_back(std::move(summary));
    }
    return false;
  }
  po::positional_options_description positionals;
  if (positional != nullptr) positionals.add(positional, -1);
  try {
    po::store(po::command_line_parser(arguments).options(all).positional(positionals).run(), values);
    if (values.count("help") != 0) {
      std::cout << "usage: " << command.usage << "\n\n"
                << command.summary << "\n\n"
                << "Options:\n";
      print_options(std::cout, all);
      std::cout << "\nExamples:\n"
                << command.examples << command.exit_codes << exit_codes;
      return false;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw Error(Code::usage, {},
                std::string(command.name) + ": " + usage_message(command, error, all, arguments, positional) +
                    " (see 'ptvsd-publish " +
                    std::string(command.name) + " --help')");
  }
  if (format != "text" && format != "json") {
    throw Error(Code::usage, {}, "--format takes text or json: '" + format + "'");
  }
  context.output.format = format == "json" ? Format::json : Format::text;
  context.output.ci = parse_ci(ci, context.environment);
  context.output.colour = colour_wanted(colour, context.environment);
  check_output_options(context.output, context.environment);
  if (command.takes_locks) context.lock_timeout = lock_timeout_from(lock_seconds);
  auto& output = context.output;
  if (command.secrets == Secrets::revealed && output.export_name.empty() && output.secret_file.empty()) {
    output.reveal = true;
  }
  return true;
}

}  // namespace ptvsd
