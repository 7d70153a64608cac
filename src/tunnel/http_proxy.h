// Which HTTP proxy, if any, the tunnel goes through: HTTPS_PROXY for wss://, HTTP_PROXY for ws://
// (either spelling case), unless NO_PROXY names the host. Corporate networks often let nothing out
// but such a proxy, which relays a TLS connection after an HTTP CONNECT. Pure: the environment
// comes in as a lookup.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/output.h"
#include "tunnel/endpoint.h"

namespace ptvsd::tunnel {

struct HttpProxy {
  std::string host;
  std::uint16_t port = 8080;

  std::string name() const;  // host:port, for messages
};

// Throws Error(usage) for a proxy address this tunnel cannot use: another scheme than http://
// or credentials in it (they would be sent in clear and show in process listings).
std::optional<HttpProxy> proxy_for(const Endpoint& endpoint, const EnvironmentLookup& variable);

// NO_PROXY: comma-separated host names, domain suffixes (".example.com" or "example.com" also
// match their subdomains), IP addresses, optionally with :port (ignored), or "*" for all.
bool bypasses_proxy(std::string_view host, std::string_view no_proxy);

}  // namespace ptvsd::tunnel
