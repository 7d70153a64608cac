// `attach`: the local end of the tunnel. Debuggers (VS Code, Visual Studio) open plain TCP to
// debugpy; the site offers debugpy only as a WebSocket behind the secret. The tunnel joins the two,
// and prints what to attach with.
#include <algorithm>
#include <iostream>
#include <optional>

#include <sodium.h>

#include "commands/commands.h"
#include "core/diagnostics.h"
#include "core/files.h"
#include "net/host_port.h"
#include "tunnel/tls.h"
#include "tunnel/tunnel.h"

namespace ptvsd {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct AttachOptions {
  std::string site;
  std::string url;
  std::string listen = "127.0.0.1:5678";
  std::string config;  // empty: the project here (README, "Where the secret lives")
  std::string secret_file;
  std::string ca_file;
  std::string local_root = "${workspaceFolder}";
  std::string remote_root = "D:\\home\\site\\wwwroot";
};

// Explicit sources first: --secret-file, then a --config given, then WSGI_PTVSD_SECRET, then the
// default config. The value never passes through a command line.
SensitiveString read_secret(const AttachOptions& options, bool config_given, const Context& context) {
  if (!options.secret_file.empty()) {
    SensitiveString text(files::read(options.secret_file));
    auto& value = text.mutable_str();
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    return text;
  }
  if (!config_given) {
    if (auto variable = context.environment("WSGI_PTVSD_SECRET"); variable && !variable->empty()) {
      SensitiveString value(std::move(*variable));
      return value;
    }
  }
  return secret_from_config(options.config);
}

// "Basic base64(<secret>:)", as a browser or websockets sends wss://<secret>:@host: any
// character but ':' and control characters can cross it, which a Bearer token cannot promise.
SensitiveString authorization_for(const SensitiveString& secret) {
  const auto& value = secret.str();
  if (value.empty()) throw Error(Code::tunnel_bad_secret, {}, "the secret is empty");
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == ':') {
      throw Error(Code::tunnel_bad_secret, {},
                  "the secret has a control character or ':', which an Authorization header cannot carry; "
                  "make a new one with 'ptvsd-publish rotate'");
    }
  }
  SensitiveString credential(value + ":");
  SensitiveString header;
  const auto encoded_size = sodium_base64_encoded_len(credential.str().size(), sodium_base64_VARIANT_ORIGINAL);
  header.mutable_str().assign(6 + encoded_size, '\0');
  header.mutable_str().replace(0, 6, "Basic ");
  sodium_bin2base64(header.mutable_str().data() + 6, encoded_size,
                    reinterpret_cast<const unsigned char*>(credential.str().data()), credential.str().size(),
                    sodium_base64_VARIANT_ORIGINAL);
  header.mutable_str().resize(6 + encoded_size - 1);  // the terminating NUL; shrinking keeps the buffer
  return header;
}

tcp::endpoint listen_endpoint(const std::string& text) {
  net::HostPort parsed;
  try {
    parsed = net::parse_host_port(text, "listen", true);
  } catch (const Error& error) {
    throw Error(Code::usage, {}, std::string("attach: ") + error.what());
  }
  boost::system::error_code error;
  const auto address = asio::ip::make_address(parsed.host == "localhost" ? "127.0.0.1" : parsed.host, error);
  if (error) throw Error(Code::usage, {}, "attach: --listen takes an IP address and port: '" + text + "'");
  return {address, parsed.port};
}

// The launch.json configuration VS Code attaches with; JSON strings escaped, so a Windows path keeps
// its backslashes.
std::string vscode_configuration(const tunnel::Endpoint& endpoint, const tcp::endpoint& bound,
                                 const AttachOptions& options, const std::string& indent) {
  std::string out = indent + "{\n" + indent + "  \"name\": ";
  append_json_string(out, "Attach to " + endpoint.host + " (ptvsd-publish)");
  out += ",\n" + indent + "  \"type\": \"debugpy\",\n" + indent + "  \"request\": \"attach\",\n" + indent +
         "  \"connect\": { \"host\": ";
  append_json_string(out, bound.address().to_string());
  out += ", \"port\": " + std::to_string(bound.port()) + " },\n" + indent + "  \"pathMappings\": [\n" + indent +
         "    { \"localRoot\": ";
  append_json_string(out, options.local_root);
  out += ", \"remoteRoot\": ";
  append_json_string(out, options.remote_root);
  out += " }\n" + indent + "  ]\n" + indent + "}";
  return out;
}

std::string visual_studio_target(const tcp::endpoint& bound) {
  const auto address = bound.address().to_string();
  return "tcp://" + (bound.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(bound.port());
}

void print_ready(const tunnel::Endpoint& endpoint, const tcp::endpoint& bound, const AttachOptions& options,
                 const Context& context) {
  if (context.output.format == Format::json) {
    std::string line = "{\"command\":\"attach\",\"listening\":";
    append_json_string(line, visual_studio_target(bound).substr(6));
    line += ",\"url\":";
    append_json_string(line, endpoint.url());
    line += ",\"visual_studio\":";
    append_json_string(line, visual_studio_target(bound));
    line += ",\"vscode\":" + vscode_configuration(endpoint, bound, options, "") + "}";
    line.erase(std::remove(line.begin(), line.end(), '\n'), line.end());
    std::cout << line << "\n" << std::flush;
    return;
  }
  std::cout << "Tunnel to " << endpoint.url() << " listening on " << visual_studio_target(bound).substr(6)
            << " (Ctrl-C ends it).\n\n"
            << "VS Code: add to \"configurations\" in .vscode/launch.json, then Run > Start Debugging:\n"
            << vscode_configuration(endpoint, bound, options, "  ") << "\n\n"
            << "Visual Studio: Debug > Attach to Process, connection type \"Python remote (debugpy)\", target:\n"
            << "  " << visual_studio_target(bound) << "\n"
            << std::flush;
}

}  // namespace

void attach_options(po::options_description& options) {
  const AttachOptions defaults;
  // One option a line, as --help prints them; clang-format would pack the chain.
  // clang-format off
  options.add_options()
      ("site", po::value<std::string>()->value_name("NAME"), "the App Service name: wss://<name>.azurewebsites.net/ptvsd")
      ("url", po::value<std::string>()->value_name("ws[s]://HOST[:PORT]/ptvsd"), "the endpoint instead of --site (no secret in it)")
      ("listen", po::value<std::string>()->default_value(defaults.listen)->value_name("HOST:PORT"),
       "the local address debuggers attach to (port 0: any free port)")
      ("config", po::value<std::string>()->value_name("FILE"),
       "the config holding WSGI_PTVSD_SECRET (a web.debug.config or a deployed web.config; "
       "default: ./web.debug.config, else ./obj/ptvsd-publish/web.debug.config)")
      ("secret-file", po::value<std::string>()->value_name("FILE"), "read the secret from this file instead")
      ("ca-file", po::value<std::string>()->value_name("PEM"),
       "also trust the CA certificates in this PEM file (a private CA, a test certificate)")
      ("local-root", po::value<std::string>()->default_value(defaults.local_root)->value_name("DIR"),
       "pathMappings: the app's folder on this machine")
      ("remote-root", po::value<std::string>()->default_value(defaults.remote_root)->value_name("DIR"),
       "pathMappings: the app's folder on the site");
  // clang-format on
}

int run_attach(const Command& self, const Arguments& arguments, Context& context) {
  po::variables_map values;
  if (!parse_command_line(self, arguments, values, context)) return 0;
  AttachOptions options;
  options.site = text_option(values, "site");
  options.url = text_option(values, "url");
  options.listen = values["listen"].as<std::string>();
  options.config = text_option(values, "config");
  options.secret_file = text_option(values, "secret-file");
  options.ca_file = text_option(values, "ca-file");
  options.local_root = values["local-root"].as<std::string>();
  options.remote_root = values["remote-root"].as<std::string>();
  if (options.site.empty() == options.url.empty()) {
    throw Error(Code::usage, {}, "attach: give --site NAME or --url ws[s]://HOST[:PORT]/ptvsd (one of them)");
  }
  const auto listen = listen_endpoint(options.listen);

  tunnel::Shared shared;
  shared.endpoint = options.site.empty() ? tunnel::endpoint_from_url(options.url)
                                         : tunnel::endpoint_for_site(options.site);
  shared.http_proxy = tunnel::proxy_for(shared.endpoint, context.environment);
  shared.authorization = authorization_for(read_secret(options, values.count("config") > 0, context));
  std::optional<asio::ssl::context> tls;
  if (shared.endpoint.tls) {
    tls.emplace(tunnel::make_tls_context(options.ca_file));
    shared.tls = &*tls;
  }
  const bool quiet = context.output.quiet;
  shared.note = [quiet](const std::string& text) {
    if (!quiet) std::cerr << "ptvsd-publish: " << text << "\n" << std::flush;
  };
  shared.failed = [](const Error& error) { std::cerr << format_error(error) << "\n" << std::flush; };
  if (shared.http_proxy) shared.note("through the HTTP proxy " + shared.http_proxy->name());

  tunnel::run_tunnel(shared, listen,
                     [&](const tcp::endpoint& bound) { print_ready(shared.endpoint, bound, options, context); });
  context.report.notes.push_back("tunnel closed");
  return 0;
}

}  // namespace ptvsd
