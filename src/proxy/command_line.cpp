#include "proxy/command_line.h"

#include <iostream>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/program_options.hpp>
#include <sodium.h>

#include "core/diagnostics.h"
#include "core/option_text.h"
#include "core/platform.h"
#include "net/host_port.h"
#include "net/listen.h"
#include "proxy/process_guard.h"
#include "proxy/secret_source.h"
#include "proxy/server.h"

namespace ptvsd::proxy {

namespace {

namespace po = boost::program_options;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using net::HostPort;
using net::parse_host_port;

constexpr const char* usage =
    "usage: ptvsd-proxy [--listen HOST:PORT] [--debugger HOST:PORT] [--config WEB.CONFIG] [options]";

constexpr const char* summary =
    R"(Remote debugging endpoint for Python web apps on IIS / Azure App Service: accepts a debugger's
WebSocket at /ptvsd when it presents WSGI_PTVSD_SECRET (wss://<secret>@<site>/ptvsd), and bridges it to
the debug server (debugpy) inside the app. A GET or HEAD of /ptvsd without an upgrade gets an
information page; a malformed upgrade 400, another method 405, another path 404.
)";

constexpr const char* epilog = R"(
Under IIS, HttpPlatformHandler starts the proxy with HTTP_PLATFORM_PORT set: it then listens on
127.0.0.1:$HTTP_PLATFORM_PORT, trusts the X-Forwarded-For entry IIS appends, and without --config
reads the secret from the web.config one folder above its own (wwwroot/bin/ptvsd-proxy).

Examples:
  ptvsd-proxy --listen 127.0.0.1:8765 --config site/web.config
  WSGI_PTVSD_SECRET=... ptvsd-proxy --listen 127.0.0.1:8765 --debugger 127.0.0.1:5678

Exit codes: 0 stopped by a signal; 1 internal error; 2 usage error; 3 no usable secret;
4 cannot listen or read the config. Errors read "file(line,col): error PTVSDnnn: message".
)";

// Wipes a copy of the secret read from the environment when start-up is done with it, or fails.
struct WipedOnExit {
  std::optional<std::string>& text;
  WipedOnExit(const WipedOnExit&) = delete;
  WipedOnExit& operator=(const WipedOnExit&) = delete;
  ~WipedOnExit() {
    if (text) sodium_memzero(text->data(), text->size());
  }
};

tcp::endpoint resolve(const HostPort& where, std::string_view option) {
  asio::io_context io;
  tcp::resolver resolver(io);
  boost::system::error_code error;
  const auto results = resolver.resolve(where.host, std::to_string(where.port), tcp::resolver::numeric_service, error);
  if (error || results.empty()) {
    throw Error(Code::proxy_config, {"ptvsd-proxy"},
                "--" + std::string(option) + ": cannot resolve '" + where.host + "'" +
                    (error ? ": " + error.message() : std::string()));
  }
  return results.begin()->endpoint();
}

template <typename T>
T at_least(T value, T minimum, std::string_view option) {
  if (value < minimum) {
    throw Error(Code::proxy_config, {"ptvsd-proxy"},
                "--" + std::string(option) + " must be at least " + std::to_string(minimum));
  }
  return value;
}

int run(const std::vector<std::string>& arguments) {
  // The options start from Settings' defaults, so --help shows the values the proxy runs with.
  Settings settings;
  std::string listen;
  std::string debugger = net::endpoint_text(settings.debugger);
  std::string config;
  auto max_sessions = static_cast<unsigned>(settings.max_sessions);
  std::size_t max_message_bytes = settings.max_message_bytes;
  auto idle_seconds = static_cast<unsigned>(settings.idle_timeout.count());
  auto handshake_seconds = static_cast<unsigned>(settings.handshake_timeout.count());
  bool trust_forwarded_for = false;

  po::options_description options;
  // One option a line, as --help prints them; clang-format would pack the chain.
  // clang-format off
  options.add_options()
      ("listen", po::value(&listen)->value_name("HOST:PORT"), "address to listen on (default under IIS: 127.0.0.1:$HTTP_PLATFORM_PORT; port 0 picks a free port)")
      ("debugger", po::value(&debugger)->default_value(debugger)->value_name("HOST:PORT"), "the debug server (debugpy --listen) to bridge to")
      ("config", po::value(&config)->value_name("FILE"), "a web.config holding the WSGI_PTVSD_SECRET app setting (else the environment variable of that name)")
      ("max-sessions", po::value(&max_sessions)->default_value(max_sessions)->value_name("N"), "debuggers bridged at once; debugpy serves one at a time, so another is refused with 503 and a message saying so")
      ("max-message-bytes", po::value(&max_message_bytes)->default_value(max_message_bytes)->value_name("N"), "largest WebSocket message accepted from a client")
      ("idle-timeout", po::value(&idle_seconds)->default_value(idle_seconds)->value_name("S"), "seconds a client may stay silent (it is pinged halfway) before it is cut off")
      ("handshake-timeout", po::value(&handshake_seconds)->default_value(handshake_seconds)->value_name("S"), "seconds a client has to send its whole HTTP request")
      ("trust-x-forwarded-for", po::bool_switch(&trust_forwarded_for), "rate-limit by the last X-Forwarded-For entry (only behind a proxy that appends it, as IIS does; implied under HttpPlatformHandler)")
      ("help,h", "show this help")
      ("version", "show the version");
  // clang-format on
  po::variables_map values;
  try {
    // No positional arguments: a stray word (a HOST:PORT without --listen) is an error, not ignored.
    po::store(po::command_line_parser(arguments).options(options).positional({}).run(), values);
    po::notify(values);
  } catch (const po::error& error) {
    throw Error(Code::usage, {"ptvsd-proxy"},
                option_error_text(error, options, arguments, "ptvsd-proxy") + " (see 'ptvsd-proxy --help')");
  }
  if (values.count("help") != 0) {
    std::cout << usage << "\n\n" << summary << "\nOptions:\n";
    print_options(std::cout, options);
    std::cout << epilog;
    return 0;
  }
  if (values.count("version") != 0) {
    std::cout << "ptvsd-proxy " << PTVSD_VERSION << "\n";
    return 0;
  }

  const auto platform_port = platform::environment_variable("HTTP_PLATFORM_PORT");
  const bool under_iis = platform_port.has_value() && !platform_port->empty();
  if (listen.empty()) {
    if (!under_iis) {
      throw Error(Code::proxy_config, {"ptvsd-proxy"},
                  "give --listen HOST:PORT (under IIS, HttpPlatformHandler sets HTTP_PLATFORM_PORT instead)");
    }
    listen = "127.0.0.1:" + *platform_port;
  }
  settings.listen = resolve(parse_host_port(listen, "listen", true), "listen");
  settings.debugger = resolve(parse_host_port(debugger, "debugger"), "debugger");
  if (!settings.listen.address().is_loopback()) {
    std::cerr << format_diagnostic(Severity::warning, Code::proxy_plain_http, {"ptvsd-proxy"},
                                   "--listen " + settings.listen.address().to_string() +
                                       " is beyond loopback, and the proxy speaks plain HTTP: the secret and the "
                                       "debug session cross the network unencrypted unless TLS ends in front of it")
              << std::endl;
  }
  settings.max_sessions = at_least<std::size_t>(max_sessions, 1, "max-sessions");
  settings.max_message_bytes = at_least<std::size_t>(max_message_bytes, 1024, "max-message-bytes");
  settings.idle_timeout = std::chrono::seconds(at_least(idle_seconds, 2U, "idle-timeout"));
  settings.handshake_timeout = std::chrono::seconds(at_least(handshake_seconds, 1U, "handshake-timeout"));
  settings.trust_forwarded_for = trust_forwarded_for || under_iis;

  // Before the secret is read: from here on no core dump can hold it.
  if (const auto failed = disable_core_dumps(); !failed.empty()) {
    log_line("core dumps could not be turned off (" + failed + "); a crash dump may hold the secret's keyed hash");
  }
  // Declared before the io_context, so it outlives the handlers the io_context destroys last
  // (ASan caught a connection giving its handshake place back to a destroyed pool at exit).
  std::optional<Context> context;
  asio::io_context io(1);
  std::optional<Server> server;
  std::string origin;
  {
    SecretSources sources;
    if (!config.empty()) sources.config = config;
    sources.environment = platform::environment_variable("WSGI_PTVSD_SECRET");
    forget_environment_variable("WSGI_PTVSD_SECRET");
    if (under_iis) sources.site_config = platform::executable_path().parent_path().parent_path() / "web.config";
    // The check keeps a keyed hash of the secret; the plain text is wiped when this block ends,
    // whichever way (the environment's copy already was), so it lives only for start-up.
    const WipedOnExit wipe_environment{sources.environment};
    auto loaded = load_secret(sources);
    context.emplace(settings, loaded.secret);
    server.emplace(io, *context);
    origin = std::move(loaded.origin);
  }
  server->listen();
  const auto bound = server->local_endpoint();
  log_line("listening on " + net::endpoint_text(bound) + "/ptvsd; debug server " +
           net::endpoint_text(settings.debugger) + "; secret from " + origin);
  server->start_accepting();

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int) {
    if (error) return;
    log_line("stopping");
    server->stop();
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace

int run_tool(int argc, const char* const* argv) {
  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const Error& error) {
    std::cerr << format_error(error) << "\n";
    return static_cast<int>(error.exit_code());
  } catch (const std::exception& error) {
    std::cerr << format_diagnostic(Severity::error, Code::internal, {"ptvsd-proxy"}, error.what()) << "\n";
    return static_cast<int>(ExitCode::internal);
  }
}

}  // namespace ptvsd::proxy
