#include "core/diagnostics.h"

#include <cstdio>

namespace ptvsd {

Error::Error(Code code, Location where, const std::string& message)
    : std::runtime_error(message), code_(code), where_(std::move(where)) {}

ExitCode Error::exit_code() const {
  switch (code_) {
    case Code::usage:
    case Code::secret_size:
    case Code::unmaskable:
      return ExitCode::usage;
    case Code::malformed_xml:
    case Code::not_utf8:
    case Code::duplicate_secret:
    case Code::missing_secret:
    case Code::dtd_refused:
    case Code::not_transformable:
    case Code::template_missing:
    case Code::template_placeholder:
    case Code::template_marker:
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
    case Code::check_web_sockets:
    case Code::check_transform:
    case Code::check_timeout:
      return ExitCode::bad_input;
    case Code::read_failed:
    case Code::write_failed:
    case Code::not_a_file:
    case Code::not_a_directory:
    case Code::proxy_missing:
    case Code::package_mismatch:
      return ExitCode::io;
    case Code::lock_timeout:
      return ExitCode::locked;
    case Code::proxy_config:
      return ExitCode::usage;
    case Code::proxy_no_secret:
    case Code::proxy_weak_secret:
      return ExitCode::bad_input;
    case Code::proxy_listen:
      return ExitCode::io;
    case Code::internal:
      break;
  }
  return ExitCode::internal;
}

std::string format_diagnostic(Severity severity, Code code, const Location& where,
                              const std::string& message) {
  std::string origin = where.file.empty() ? "ptvsd-publish" : where.file;
  if (!where.file.empty() && where.line > 0) {
    origin += "(" + std::to_string(where.line);
    if (where.column > 0) origin += "," + std::to_string(where.column);
    origin += ")";
  }
  char number[8];
  std::snprintf(number, sizeof number, "%03d", static_cast<int>(code));
  return origin + ": " + (severity == Severity::error ? "error" : "warning") + " PTVSD" + number +
         ": " + message;
}

std::string format_error(const Error& error) {
  return format_diagnostic(Severity::error, error.code(), error.where(), error.what());
}

}  // namespace ptvsd
