// `url`: the one command whose job is to print the secret, as the user part of the debugger's URL.
// Its plan replaces no file of its own: only --secret-file or $GITHUB_OUTPUT, when asked.
#include "commands/commands.h"
#include "core/ascii.h"
#include "core/diagnostics.h"
#include "tunnel/endpoint.h"

namespace ptvsd {

namespace {

bool is_unreserved(char c) { return is_ascii_alphanumeric(c) || c == '-' || c == '_' || c == '.' || c == '~'; }

// A generated secret is URL-safe already; one a user typed may not be, and the URL must still work.
void append_percent_encoded(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (const char c : text) {
    if (is_unreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    }
  }
}

std::string host_for(const std::string& site, const std::string& host) {
  if (!site.empty() && !host.empty()) {
    throw Error(Code::usage, {}, "url: --site and --host both name the host: give one of them");
  }
  if (!host.empty()) {
    if (host.find_first_of("/@ \t?#") != std::string::npos) {
      throw Error(Code::usage, {}, "url: --host takes a host name (and port), not a URL: '" + host + "'");
    }
    return host;
  }
  if (site.empty()) throw Error(Code::usage, {}, "url: give --site NAME or --host HOST");
  return tunnel::endpoint_for_site(site).host;
}

// The host part of "host[:port]" or "[v6]:port".
std::string host_name(const std::string& authority) {
  if (!authority.empty() && authority.front() == '[') return authority.substr(1, authority.find(']') - 1);
  return authority.substr(0, authority.find(':'));
}

}  // namespace

Plan plan_url(const std::string& authority, std::string_view secret) {
  SensitiveString encoded;
  encoded.mutable_str().reserve(3 * secret.size());
  append_percent_encoded(encoded.mutable_str(), secret);
  SensitiveString url;
  url.mutable_str().reserve(512);
  // Piece by piece: a temporary would leave an unwiped copy.
  url.mutable_str() += tunnel::is_loopback_host(host_name(authority)) ? "ws://" : "wss://";
  url.mutable_str() += encoded.str();
  // "<secret>:@": an empty password, which clients such as Python's websockets require once there
  // is a user name; the proxy reads it as Basic base64("<secret>:").
  url.mutable_str() += ":@" + authority + "/ptvsd";
  Plan plan;
  plan.done.secret_bits = Secret::from_text(secret).bits();
  // Every form that is printed is masked: the URL carries the secret percent-encoded.
  ProducedSecret produced{"url", std::move(url), {}};
  produced.masks.emplace_back(std::string(secret));
  if (encoded.str() != secret) produced.masks.push_back(std::move(encoded));
  plan.decided.secrets.push_back(std::move(produced));
  return plan;
}

void url_options(po::options_description& options) {
  // One option a line, as --help prints them; clang-format would pack the chain.
  // clang-format off
  options.add_options()
      ("site", po::value<std::string>()->value_name("NAME"), "the App Service name: <name>.azurewebsites.net")
      ("host", po::value<std::string>()->value_name("HOST[:PORT]"), "a custom host name instead of --site (host[:port])")
      ("config", po::value<std::string>()->value_name("FILE"),
       "the config holding WSGI_PTVSD_SECRET (a web.debug.config or a deployed web.config; "
       "default: ./web.debug.config, else ./obj/ptvsd-publish/web.debug.config)");
  // clang-format on
}

Work url_work(const Command& self, const Arguments& arguments, Context& context) {
  po::variables_map values;
  if (!parse_command_line(self, arguments, values, context)) return {};
  const auto site = text_option(values, "site");
  const auto host = text_option(values, "host");
  const auto config = text_option(values, "config");

  Step step;
  step.decide = [authority = host_for(site, host), config] {
    return plan_url(authority, secret_from_config(config).str());
  };
  Work work;
  work.steps.push_back(std::move(step));
  return work;
}

}  // namespace ptvsd
