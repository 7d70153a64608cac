#include "core/output.h"

#include <algorithm>
#include <cstdio>

#include "core/ascii.h"
#include "core/xml_text.h"

namespace ptvsd {

namespace {

bool is_set(const EnvironmentLookup& variable, const char* name) {
  const auto value = variable(name);
  return value && !value->empty() && *value != "false" && *value != "False" && *value != "0";
}

void append_json_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
}

}  // namespace

// JSON is UTF-8: a byte that is not (a file named "web.\xff.config") becomes U+FFFD, the
// replacement character, so that every parser still reads the document. Appended piece by piece
// into `out`, which may be a SensitiveString's buffer: no temporary holds a copy of the text.
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (auto bad = invalid_utf8_at(text); bad != std::string_view::npos; bad = invalid_utf8_at(text)) {
    append_json_escaped(out, text.substr(0, bad));
    out += "\\ufffd";
    text.remove_prefix(bad + 1);
  }
  append_json_escaped(out, text);
  out += '"';
}

namespace {

void append_diagnostic(std::string& out, const Diagnostic& diagnostic) {
  out += "{\"code\":";
  append_json_string(out, code_name(diagnostic.code));
  out += ",\"file\":";
  append_json_string(out, diagnostic.where.file);
  out += ",\"line\":" + std::to_string(diagnostic.where.line);
  out += ",\"column\":" + std::to_string(diagnostic.where.column);
  out += ",\"message\":";
  append_json_string(out, diagnostic.message);
  out += '}';
}

void append_diagnostics(std::string& out, const Report& report, Severity severity) {
  bool first = true;
  out += '[';
  for (const auto& diagnostic : report.diagnostics) {
    if (diagnostic.severity != severity) continue;
    if (!first) out += ',';
    first = false;
    append_diagnostic(out, diagnostic);
  }
  out += ']';
}

}  // namespace

void require_variable_name(std::string_view name) {
  const bool valid = !name.empty() && !is_ascii_digit(name[0]) &&
                     name.find_first_not_of(
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                         "0123456789_") == std::string_view::npos;
  if (!valid) {
    throw Error(Code::usage, {}, "--export takes a variable name (letters, digits, '_'): '" + std::string(name) + "'");
  }
}

Ci parse_ci(std::string_view name, const EnvironmentLookup& variable) {
  if (name == "none") return Ci::none;
  if (name == "github") return Ci::github;
  if (name == "azure") return Ci::azure;
  if (name == "gitlab") return Ci::gitlab;
  if (name == "auto") {
    if (is_set(variable, "GITHUB_ACTIONS")) return Ci::github;
    if (is_set(variable, "TF_BUILD")) return Ci::azure;
    if (is_set(variable, "GITLAB_CI")) return Ci::gitlab;
    return Ci::none;
  }
  throw Error(Code::usage, {}, "--ci takes github, azure, gitlab, auto or none: '" + std::string(name) + "'");
}

void require_no_control_characters(std::string_view secret, const Location& where) {
  if (std::any_of(secret.begin(), secret.end(), is_ascii_control)) {
    throw Error(Code::secret_control_character, where,
                "the secret holds a control character (CR, LF, tab or the like), which would end a CI "
                "log line and let the rest run as a workflow command; give it a new secret "
                "(ptvsd-publish rotate)");
  }
}

std::optional<std::string> mask_line(Ci ci, std::string_view value) {
  require_no_control_characters(value);
  switch (ci) {
    case Ci::github: return "::add-mask::" + std::string(value);
    case Ci::azure: return "##vso[task.setsecret]" + std::string(value);
    case Ci::gitlab:
    case Ci::none: break;
  }
  return std::nullopt;
}

SensitiveString azure_secret_variable_line(std::string_view name, std::string_view value) {
  require_variable_name(name);
  require_no_control_characters(value);
  return SensitiveString("##vso[task.setvariable variable=" + std::string(name) + ";issecret=true]" +
                         std::string(value));
}

SensitiveString github_output_line(std::string_view name, std::string_view value) {
  require_variable_name(name);
  require_no_control_characters(value);
  return SensitiveString(std::string(name) + "=" + std::string(value) + "\n");
}

SensitiveString to_json(const Report& report, int exit_code, bool reveal) {
  SensitiveString json;
  auto& out = json.mutable_str();
  out.reserve(1024);
  out += "{\"command\":";
  append_json_string(out, report.command);
  out += ",\"ok\":";
  out += exit_code == 0 ? "true" : "false";
  out += ",\"exit_code\":" + std::to_string(exit_code);
  out += ",\"written\":[";
  for (std::size_t i = 0; i < report.written.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, report.written[i]);
  }
  out += "],\"template\":";
  if (report.template_name.empty()) {
    out += "null";
  } else {
    append_json_string(out, report.template_name);
  }
  out += ",\"secret_bits\":" + std::to_string(report.secret_bits);
  out += ",\"warnings\":";
  append_diagnostics(out, report, Severity::warning);
  out += ",\"errors\":";
  append_diagnostics(out, report, Severity::error);
  if (reveal) {
    out += ",\"secrets\":[";
    for (std::size_t i = 0; i < report.secrets.size(); ++i) {
      if (i > 0) out += ',';
      out += "{\"for\":";
      append_json_string(out, report.secrets[i].label);
      out += ",\"value\":";
      append_json_string(out, report.secrets[i].value.str());
      out += '}';
    }
    out += ']';
  }
  out += "}\n";
  return json;
}

namespace {

// "error"/"warning" in bold red or yellow, the rest of the line as it is.
std::string coloured(std::string line, Severity severity) {
  const std::string word = severity == Severity::error ? ": error " : ": warning ";
  const auto at = line.find(word);
  if (at == std::string::npos) return line;
  const char* colour = severity == Severity::error ? "\x1b[1;31m" : "\x1b[1;33m";
  return line.replace(at + 2, word.size() - 3, colour + word.substr(2, word.size() - 3) + "\x1b[0m");
}

}  // namespace

std::string text_report(const Report& report, bool verbose, bool quiet, bool colour) {
  std::string text;
  if (verbose) {
    for (const auto& detail : report.details) text += "ptvsd-publish: " + detail + "\n";
  }
  for (const auto& diagnostic : report.diagnostics) {
    auto line = format_diagnostic(diagnostic.severity, diagnostic.code, diagnostic.where, diagnostic.message);
    text += (colour ? coloured(std::move(line), diagnostic.severity) : line) + "\n";
  }
  if (!quiet) {
    for (const auto& note : report.notes) text += "ptvsd-publish: " + note + "\n";
  }
  return text;
}

SensitiveString revealed_secrets(const Report& report) {
  SensitiveString text;
  auto& out = text.mutable_str();
  std::size_t size = 0;
  for (const auto& secret : report.secrets) size += secret.label.size() + secret.value.str().size() + 3;
  out.reserve(size);  // appended piece by piece into one buffer: no unwiped copy is left behind
  for (const auto& secret : report.secrets) {
    if (report.secrets.size() > 1) out += secret.label + ": ";
    out += secret.value.str();
    out += '\n';
  }
  return text;
}

}  // namespace ptvsd
