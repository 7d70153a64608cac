#include "commands/command_line.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <sodium.h>

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

int dispatch(const Arguments& arguments, Context& context) {
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
    if (command.name == name) {
      context.report.command = name;
      return command.run(command, Arguments(arguments.begin() + 1, arguments.end()), context);
    }
  }
  throw Error(Code::usage, {}, unknown_command_message(name));
}

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

std::optional<std::string> environment_variable(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read before any thread
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

void add_output_options(po::options_description& options, OutputOptions& output, std::string& format,
                        std::string& ci, bool produces_secrets) {
  options.add_options()
      ("format", po::value(&format)->default_value("text"), "text (for people) or json (one document on stdout)")
      ("ci", po::value(&ci)->default_value("none"),
       "github, azure, gitlab, auto or none: mask a revealed secret with that CI's command first")
      ("quiet,q", po::bool_switch(&output.quiet), "print no summary, only warnings and errors")
      ("verbose,v", po::bool_switch(&output.verbose), "print what was decided and why");
  if (!produces_secrets) return;
  options.add_options()
      ("reveal", po::bool_switch(&output.reveal), "print the new secret (masked first with --ci)")
      ("export", po::value(&output.export_name),
       "set the secret as a secret pipeline variable NAME (--ci github: $GITHUB_OUTPUT; azure: "
       "task.setvariable issecret=true); never printed in clear")
      ("secret-file", po::value(&output.secret_file), "write the secret alone to this new 0600 file");
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
  std::error_code error;
  if (!output.secret_file.empty() && std::filesystem::exists(output.secret_file, error)) {
    throw Error(Code::write_failed, {output.secret_file, 0, 0},
                "--secret-file must name a new file; this one exists (remove it first)");
  }
}

const ProducedSecret& the_one_secret(const Report& report, const char* option) {
  if (report.secrets.size() != 1) {
    throw Error(Code::usage, {},
                std::string(option) + " needs exactly one secret; this run made " +
                    std::to_string(report.secrets.size()) + " (use --same-secret)");
  }
  return report.secrets.front();
}

// Everything that carries the secret out of the process, in the order that keeps it masked: the
// CI learns the mask before any line holding the value.
void deliver_secrets(Context& context, bool reveal) {
  const auto& output = context.output;
  auto& report = context.report;
  if (!reveal && output.export_name.empty() && output.secret_file.empty()) return;
  if (reveal && output.ci == Ci::gitlab) {
    report.diagnostics.push_back({Severity::warning, Code::unmaskable, {},
                                  "GitLab CI cannot mask a value at run time; the secret below shows in "
                                  "the job log (prefer --secret-file)"});
  }
  // Whichever way the secret leaves, a later step may print it: the CI learns the mask now.
  for (const auto& secret : report.secrets) {
    if (auto line = mask_line(output.ci, secret.mask.str())) {
      std::cout << *line << "\n";
      sodium_memzero(line->data(), line->size());
    }
  }
  if (!output.secret_file.empty()) {
    files::AtomicFile file(output.secret_file, files::owner_only);
    file.write(the_one_secret(report, "--secret-file").value.str());
    file.commit();
    report.written.push_back(output.secret_file);
  }
  if (output.export_name.empty()) return;
  const auto& secret = the_one_secret(report, "--export");
  if (output.ci == Ci::azure) {
    std::cout << azure_secret_variable_line(output.export_name, secret.value.str()).str() << "\n";
    return;
  }
  const auto github_output = context.environment("GITHUB_OUTPUT");  // checked before the command ran
  SensitiveString contents(files::read(*github_output));
  contents.mutable_str() += github_output_line(output.export_name, secret.value.str()).str();
  files::AtomicFile file(*github_output);
  file.write(contents.str());
  file.commit();
}

// "error"/"warning" in colour, at a terminal only, and never with NO_COLOR (no-color.org).
std::string coloured(const Context& context, std::string line, Severity severity) {
  if (!context.output.colour) return line;
  const std::string word = severity == Severity::error ? ": error " : ": warning ";
  const auto at = line.find(word);
  if (at == std::string::npos) return line;
  const char* colour = severity == Severity::error ? "\x1b[1;31m" : "\x1b[1;33m";
  return line.replace(at + 2, word.size() - 3, colour + word.substr(2, word.size() - 3) + "\x1b[0m");
}

void print_text(const Context& context, bool reveal) {
  const auto& report = context.report;
  if (context.output.verbose) {
    for (const auto& detail : report.details) std::cerr << "ptvsd-publish: " << detail << "\n";
  }
  if (!context.output.quiet) {
    for (const auto& note : report.notes) std::cerr << "ptvsd-publish: " << note << "\n";
  }
  for (const auto& diagnostic : report.diagnostics) {
    std::cerr << coloured(context,
                          format_diagnostic(diagnostic.severity, diagnostic.code, diagnostic.where,
                                            diagnostic.message),
                          diagnostic.severity)
              << "\n";
  }
  if (!reveal) return;
  for (const auto& secret : report.secrets) {
    if (report.secrets.size() > 1) std::cout << secret.label << ": ";
    std::cout << secret.value.str() << "\n";
  }
}

int report_and_exit(Context& context, int exit_code) {
  // `url` exists to print the secret, unless it was asked to hand it on some other way.
  const auto& output = context.output;
  const bool url_prints = context.report.command == "url" && output.export_name.empty() &&
                          output.secret_file.empty();
  const bool reveal = exit_code == 0 && (output.reveal || url_prints);
  if (exit_code == 0) {
    try {
      deliver_secrets(context, reveal);
    } catch (const Error& error) {
      context.report.diagnostics.push_back({Severity::error, error.code(), error.where(), error.what()});
      return report_and_exit(context, static_cast<int>(error.exit_code()));
    }
  }
  if (context.output.format == Format::json) {
    std::cout << to_json(context.report, exit_code, reveal).str();
  } else {
    print_text(context, reveal);
  }
  std::cout.flush();
  return exit_code;
}

}  // namespace

bool parse_command_line(const Command& command, const Arguments& arguments,
                        const po::options_description& options, po::variables_map& values,
                        Context& context, const char* positional) {
  std::string format;
  std::string ci;
  po::options_description all("Options");
  all.add(options);
  add_output_options(all, context.output, format, ci, command.produces_secrets);
  all.add_options()("help,h", "show this help");
  po::positional_options_description positionals;
  if (positional != nullptr) positionals.add(positional, -1);
  try {
    po::store(po::command_line_parser(arguments).options(all).positional(positionals).run(), values);
    if (values.count("help") != 0) {
      std::cout << "usage: " << command.usage << "\n\n"
                << command.summary << "\n\n"
                << all << "\nExamples:\n"
                << command.examples << command.exit_codes << exit_codes;
      return false;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw Error(Code::usage, {},
                std::string(command.name) + ": " + error.what() + " (see 'ptvsd-publish " +
                    std::string(command.name) + " --help')");
  }
  if (format != "text" && format != "json") {
    throw Error(Code::usage, {}, "--format takes text or json: '" + format + "'");
  }
  context.output.format = format == "json" ? Format::json : Format::text;
  context.output.ci = parse_ci(ci, context.environment);
  check_output_options(context.output, context.environment);
  return true;
}

int run_tool(int argc, const char* const* argv) {
  const Arguments arguments(argv + 1, argv + argc);
  Context context;
  context.environment = environment_variable;
  context.output.format = requested_format(arguments);
  const auto no_colour = environment_variable("NO_COLOR");  // set and not empty: no colours
  context.output.colour = platform::stderr_is_terminal() && (!no_colour || no_colour->empty());
  int exit_code = 0;
  try {
    exit_code = dispatch(arguments, context);
  } catch (const Error& error) {
    context.report.diagnostics.push_back({Severity::error, error.code(), error.where(), error.what()});
    exit_code = static_cast<int>(error.exit_code());
  } catch (const std::exception& error) {
    context.report.diagnostics.push_back({Severity::error, Code::internal, {}, error.what()});
    exit_code = static_cast<int>(ExitCode::internal);
  }
  return report_and_exit(context, exit_code);
}

}  // namespace ptvsd
