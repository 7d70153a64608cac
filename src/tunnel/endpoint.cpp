#include "tunnel/endpoint.h"

#include <algorithm>

#include <boost/asio/ip/address.hpp>

#include "core/ascii.h"
#include "core/diagnostics.h"
#include "net/host_port.h"

namespace ptvsd::tunnel {

namespace {

// The URL as a message may show it: user info (a secret, perhaps) replaced.
std::string shown(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto at = url.find('@', start);
  if (at == std::string_view::npos || at > url.find_first_of("/?#", start)) return std::string(url);
  return std::string(url.substr(0, start)) + "<user info>" + std::string(url.substr(at));
}

[[noreturn]] void bad_url(std::string_view url, const std::string& why) {
  throw Error(Code::usage, {}, "attach: --url '" + shown(url) + "': " + why + " (expected ws[s]://HOST[:PORT]/ptvsd)");
}

std::uint16_t parse_port(std::string_view url, std::string_view text) {
  const auto number = net::port_number(text);
  if (!number) bad_url(url, "the port is not a number");
  if (*number == 0 || *number > net::max_port) bad_url(url, "the port is out of range");
  return static_cast<std::uint16_t>(*number);
}

}  // namespace

std::string Endpoint::host_header() const {
  const bool bracketed = host.find(':') != std::string::npos;
  std::string header = bracketed ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) header += ":" + std::to_string(port);
  return header;
}

std::string Endpoint::url() const { return (tls ? "wss://" : "ws://") + host_header() + target; }

Endpoint endpoint_for_site(std::string_view site) {
  const bool valid = !site.empty() &&
                     std::all_of(site.begin(), site.end(), [](char c) { return is_ascii_alphanumeric(c) || c == '-'; });
  if (!valid) {
    throw Error(Code::usage, {},
                "--site takes an App Service name (letters, digits, '-'): '" + std::string(site) + "'");
  }
  Endpoint endpoint;
  endpoint.host = std::string(site) + ".azurewebsites.net";
  return endpoint;
}

Endpoint endpoint_from_url(std::string_view url) {
  Endpoint endpoint;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) bad_url(url, "no scheme");
  const auto scheme = url.substr(0, scheme_end);
  if (equal_ignoring_ascii_case(scheme, "wss")) {
    endpoint.tls = true;
  } else if (equal_ignoring_ascii_case(scheme, "ws")) {
    endpoint.tls = false;
  } else {
    bad_url(url, "the scheme must be ws or wss");
  }
  endpoint.port = endpoint.tls ? 443 : 80;
  auto rest = url.substr(scheme_end + 3);
  const auto path_start = rest.find_first_of("/?#");
  auto authority = rest.substr(0, path_start);
  if (authority.find('@') != std::string_view::npos) {
    bad_url(url, "user info is refused: the secret comes from --config, --secret-file or WSGI_PTVSD_SECRET");
  }
  if (path_start != std::string_view::npos) {
    const auto target = rest.substr(path_start);
    if (target.front() == '#') bad_url(url, "a fragment is not part of a WebSocket address");
    endpoint.target = std::string(target.substr(0, target.find('#')));
    if (endpoint.target.front() == '?') endpoint.target.insert(0, "/");
  }
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) bad_url(url, "an IPv6 address lacks its ']'");
    endpoint.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') bad_url(url, "unexpected text after the IPv6 address");
      endpoint.port = parse_port(url, after.substr(1));
    }
  } else {
    const auto colon = authority.find(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) endpoint.port = parse_port(url, authority.substr(colon + 1));
  }
  if (endpoint.host.empty()) bad_url(url, "no host");
  const bool printable = std::all_of(endpoint.target.begin(), endpoint.target.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
  if (!printable) bad_url(url, "the path has spaces or control characters");
  return endpoint;
}

bool is_loopback_host(std::string_view host) {
  if (!host.empty() && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (equal_ignoring_ascii_case(host, "localhost")) return true;
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(std::string(host), error);
  return !error && address.is_loopback();
}

}  // namespace ptvsd::tunnel
