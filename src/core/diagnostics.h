// Errors and warnings in the canonical form MSBuild and editors recognise:
//   file(line,col): error PTVSDnnn: message
// One Error type is thrown from anywhere in the library and caught once, in main, which prints it and
// returns its exit code. Nothing deeper exits the process, so destructors run: temp files are removed
// and secrets are wiped on every error path.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

namespace ptvsd {

// Documented in README.md ("Exit codes"); scripts rely on these values.
enum class ExitCode : int {
  ok = 0,
  internal = 1,   // a bug or an unexpected failure of a library
  usage = 2,      // the command line is wrong
  bad_input = 3,  // a config, template or value is malformed or ambiguous
  io = 4,         // a file could not be read, written or replaced
  locked = 5,     // another publish held the project's lock until the timeout
  refused = 6,    // attach: the site refused the secret or its certificate; retrying cannot help
};

// Each code names one cause, so a pipeline can match on it. README.md lists them all.
enum class Code : int {
  usage = 1,
  secret_size = 2,
  malformed_xml = 10,
  not_utf8 = 11,
  duplicate_secret = 12,
  missing_secret = 13,
  dtd_refused = 14,
  not_transformable = 15,
  template_missing = 20,
  template_placeholder = 22,
  template_marker = 23,
  read_failed = 30,
  write_failed = 31,
  not_a_file = 32,
  not_a_directory = 33,
  not_a_project = 34,      // a warning: publish's folder has no web.config and no project file
  changed_meanwhile = 35,  // a file changed between being read and being replaced
  owner_not_kept = 36,     // a warning: a replaced file now belongs to this process's user
  kept_file_left = 37,     // a warning: a kept old version could not be removed after success
  lock_timeout = 40,
  proxy_missing = 50,
  package_mismatch = 51,
  proxy_format = 52,              // the proxy to package is not a program the site's Windows x64 can start
  unmaskable = 80,                // a warning: the CI cannot mask a revealed secret
  secret_control_character = 81,  // a secret holding CR, LF or another control character
  ci_output_failed = 82,          // a CI masking or variable line could not be written to stdout
  // `check` findings (README, "check"); reported, never thrown.
  check_secret_missing = 101,
  check_secret_weak = 102,
  check_secret_not_url_safe = 103,
  check_secret_twice = 104,
  check_handler_missing = 110,
  check_handler_twice = 111,
  check_handler_order = 112,
  check_handler_target = 113,
  check_proxy_missing = 120,
  check_proxy_mismatch = 121,
  check_proxy_format = 122,
  check_web_sockets = 130,
  check_transform = 140,
  check_timeout = 150,
  check_gunicorn_timeout = 151,       // a warning: gunicorn's --timeout kills a worker paused at a breakpoint
  check_request_timeout_short = 152,  // a warning: an <httpPlatform requestTimeout> under 10 minutes
  internal = 99,
  proxy_config = 60,          // ptvsd-proxy: an option value is malformed
  proxy_no_secret = 61,       // ptvsd-proxy: no WSGI_PTVSD_SECRET to check clients against
  proxy_weak_secret = 62,     // ptvsd-proxy: the secret carries fewer than 128 bits
  proxy_listen = 63,          // ptvsd-proxy: the listening socket could not be opened
  proxy_secret_control = 66,  // ptvsd-proxy: the secret holds CR, LF or another control character
  proxy_plain_http = 67,      // ptvsd-proxy (warning): listening beyond loopback, without TLS
  // attach: the tunnel to the site (README, "Attaching a debugger").
  tunnel_dns = 70,          // the site's (or the HTTP proxy's) name does not resolve
  tunnel_connect = 71,      // no TCP connection to the site or the proxy
  tunnel_certificate = 72,  // the site's certificate is not trusted or names another host
  tunnel_http_proxy = 73,   // the HTTP proxy refused the CONNECT
  tunnel_secret = 74,       // 401: the site has another secret
  tunnel_busy = 75,         // 429: too many attempts or debuggers
  tunnel_no_endpoint = 76,  // 404 and the like: no /ptvsd handler or web sockets off
  tunnel_no_debugger = 77,  // 502/503 and other answers: the proxy or debugpy is not running
  tunnel_listen = 78,       // the local port could not be opened
  tunnel_bad_secret = 79,   // the secret has characters an HTTP header cannot carry
};

struct Location {
  std::string file;  // empty: the tool itself
  int line = 0;      // 0: unknown
  int column = 0;    // 0: unknown
};

class Error : public std::runtime_error {
 public:
  Error(Code code, Location where, const std::string& message);
  Code code() const { return code_; }
  const Location& where() const { return where_; }
  ExitCode exit_code() const;

 private:
  Code code_;
  Location where_;
};

enum class Severity { error, warning };

// "file(line,col): error PTVSD010: message"; "ptvsd-publish: ..." when there is no file.
std::string format_diagnostic(Severity severity, Code code, const Location& where, const std::string& message);

std::string format_error(const Error& error);

// "PTVSD012": the code as messages, JSON reports and the README name it.
std::string code_name(Code code);

// "0.5", "2", "60": seconds as messages show them, with no trailing zeros.
std::string seconds_text(std::chrono::milliseconds duration);

}  // namespace ptvsd
