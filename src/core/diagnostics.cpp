#include "core/diagnostics.h"

#include <cstdio>

namespace ptvsd {

Error::Error(Code code, Location where, const std::string& message)
    : std::runtime_error(message), code_(code), where_(std::move(where)) {}

ExitCode Error::exit_code() const {
  switch (code_) {
    case Code::usage:
    case Code::secret_size:
    case Code::unmaskable: return ExitCode::usage;
    case Code::malformed_xml:
    case Code::not_utf8:
    case Code::duplicate_secret:
    case Code::missing_secret:
    case Code::dtd_refused:
    case Code::not_transformable:
    case Code::template_missing:
    case Code::template_placeholder:
    case Code::template_marker:
    case Code::secret_control_character:
    case Code::check_secret_missing:
    case Code::check_secret_weak:
    case Code::check_secret_not_url_safe:
    case Code::check_secret_twice:
    case Code::check_handler_missing:
    case Code::check_handler_twice:
    case Code::check_handler_order:
    case Code::check_handler_target:
    case Code::check_proxy_missing:
    case Code::check_proxy_mismatch:
    case Code::check_proxy_format:
    case Code::proxy_format:
    case Code::check_web_sockets:
    case Code::check_transform:
    case Code::check_timeout:
    case Code::check_gunicorn_timeout:
    case Code::check_request_timeout_short: return ExitCode::bad_input;
    case Code::read_failed:
    case Code::write_failed:
    case Code::not_a_file:
    case Code::not_a_directory:
    case Code::not_a_project:
    case Code::changed_meanwhile:
    case Code::owner_not_kept:
    case Code::kept_file_left:
    case Code::ci_output_failed:
    case Code::proxy_missing:
    case Code::package_mismatch: return ExitCode::io;
    case Code::lock_timeout: return ExitCode::locked;
    case Code::proxy_config: return ExitCode::usage;
    case Code::proxy_no_secret:
    case Code::proxy_weak_secret:
    case Code::proxy_secret_control: return ExitCode::bad_input;
    case Code::proxy_listen: return ExitCode::io;
    case Code::proxy_plain_http: break;
    case Code::tunnel_certificate:
    case Code::tunnel_secret: return ExitCode::refused;
    case Code::tunnel_bad_secret: return ExitCode::bad_input;
    case Code::tunnel_dns:
    case Code::tunnel_connect:
    case Code::tunnel_http_proxy:
    case Code::tunnel_busy:
    case Code::tunnel_no_endpoint:
    case Code::tunnel_no_debugger:
    case Code::tunnel_listen: return ExitCode::io;
    case Code::internal: break;
  }
  return ExitCode::internal;
}

std::string format_diagnostic(Severity severity, Code code, const Location& where, const std::string& message) {
  std::string origin = where.file.empty() ? "ptvsd-publish" : where.file;
  if (!where.file.empty() && where.line > 0) {
    origin += "(" + std::to_string(where.line);
    if (where.column > 0) origin += "," + std::to_string(where.column);
    origin += ")";
  }
  return origin + ": " + (severity == Severity::error ? "error" : "warning") + " " + code_name(code) + ": " + message;
}

std::string format_error(const Error& error) {
  return format_diagnostic(Severity::error, error.code(), error.where(), error.what());
}

std::string code_name(Code code) {
  char name[16];
  std::snprintf(name, sizeof name, "PTVSD%03d", static_cast<int>(code));
  return name;
}

std::string seconds_text(std::chrono::milliseconds duration) {
  auto text = std::to_string(static_cast<double>(duration.count()) / 1000);
  text.erase(text.find_last_not_of('0') + 1);  // "0.500000" -> "0.5", "60.000000" -> "60."
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace ptvsd
