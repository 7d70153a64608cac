#include "tunnel/http_proxy.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/diagnostics.h"
#include "net/host_port.h"

namespace ptvsd::tunnel {

namespace {

using net::max_port;
using net::port_number;

// "host", "host:port", "[v6]", "[v6]:port" -> host without brackets or port.
std::string_view entry_host(std::string_view entry) {
  if (!entry.empty() && entry.front() == '[') return entry.substr(1, entry.find(']') - 1);
  if (std::count(entry.begin(), entry.end(), ':') == 1) return entry.substr(0, entry.find(':'));
  return entry;
}

std::optional<std::string> first_set(const EnvironmentLookup& variable, const char* upper, const char* lower_name) {
  for (const char* name : {lower_name, upper}) {
    if (auto value = variable(name); value && !trim_spaces_and_tabs(*value).empty()) {
      return std::string(trim_spaces_and_tabs(*value));
    }
  }
  return std::nullopt;
}

HttpProxy parse_proxy(const std::string& text, const char* variable) {
  const auto fail = [&](const std::string& why) -> HttpProxy {
    throw Error(Code::usage, {}, std::string(variable) + ": " + why);
  };
  std::string_view rest = text;
  if (const auto scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    if (!equal_ignoring_ascii_case(rest.substr(0, scheme_end), "http")) {
      return fail("only an http:// proxy is supported (the tunnel's own TLS runs inside its CONNECT)");
    }
    rest.remove_prefix(scheme_end + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  if (rest.find('@') != std::string_view::npos) {
    return fail("a proxy with credentials in its address is not supported");
  }
  HttpProxy proxy;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return fail("an IPv6 address lacks its ']'");
    proxy.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
  } else {
    proxy.host = std::string(rest.substr(0, rest.find(':')));
    rest.remove_prefix(proxy.host.size());
  }
  if (proxy.host.empty()) return fail("no proxy host");
  if (!rest.empty()) {
    const auto number = rest.front() == ':' ? port_number(rest.substr(1)) : std::nullopt;
    if (!number || *number == 0 || *number > max_port) {
      return fail("the proxy port is not a number from 1 to 65535");
    }
    proxy.port = static_cast<std::uint16_t>(*number);
  }
  return proxy;
}

}  // namespace

std::string HttpProxy::name() const {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool bypasses_proxy(std::string_view host, std::string_view no_proxy) {
  const auto name = ascii_lowercase(host);
  while (!no_proxy.empty()) {
    const auto comma = no_proxy.find(',');
    auto entry = ascii_lowercase(entry_host(trim_spaces_and_tabs(no_proxy.substr(0, comma))));
    no_proxy.remove_prefix(comma == std::string_view::npos ? no_proxy.size() : comma + 1);
    if (entry == "*") return true;
    if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
    if (entry.empty()) continue;
    if (name == entry) return true;
    if (name.size() > entry.size() && name.compare(name.size() - entry.size(), entry.size(), entry) == 0 &&
        name[name.size() - entry.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

std::optional<HttpProxy> proxy_for(const Endpoint& endpoint, const EnvironmentLookup& variable) {
  const char* name = endpoint.tls ? "HTTPS_PROXY" : "HTTP_PROXY";
  const auto value = endpoint.tls ? first_set(variable, "HTTPS_PROXY", "https_proxy")
                                  : first_set(variable, "HTTP_PROXY", "http_proxy");
  if (!value) return std::nullopt;
  if (const auto no_proxy = first_set(variable, "NO_PROXY", "no_proxy");
      no_proxy && bypasses_proxy(endpoint.host, *no_proxy)) {
    return std::nullopt;
  }
  return parse_proxy(*value, name);
}

}  // namespace ptvsd::tunnel
