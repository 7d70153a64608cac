#include "core/option_text.h"

#include <algorithm>

namespace ptvsd {

namespace po = boost::program_options;

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

// The value the user gave `option` ("--name value" or "--name=value"), for a message.
std::string value_given(const std::vector<std::string>& arguments, const std::string& option) {
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == option && i + 1 < arguments.size()) return arguments[i + 1];
    if (arguments[i].rfind(option + "=", 0) == 0) return arguments[i].substr(option.size() + 1);
  }
  return {};
}

std::string first_positional(const std::vector<std::string>& arguments) {
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

}  // namespace

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

// Boost's messages name options the user never typed ("the option '--file' is required").
std::string option_error_text(const po::error& error, const po::options_description& all,
                              const std::vector<std::string>& arguments, std::string_view program,
                              const char* positional) {
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
    return "unexpected argument '" + first_positional(arguments) + "'; " + std::string(program) + " takes options only";
  }
  return error.what();
}

}  // namespace ptvsd
