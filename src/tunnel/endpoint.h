// Where the tunnel connects: the site's /ptvsd endpoint as a ws:// or wss:// URL. Pure, so the
// parsing is tested without a network.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ptvsd::tunnel {

struct Endpoint {
  bool tls = true;
  std::string host;  // without brackets
  std::uint16_t port = 443;
  std::string target = "/ptvsd";  // path and query, as sent in the request line

  // The Host header: the port only when it is not the scheme's default.
  std::string host_header() const;
  // ws[s]://host[:port]/target, for messages; it never holds a secret (user info is refused).
  std::string url() const;
};

// --site NAME: wss://NAME.azurewebsites.net/ptvsd. Throws Error(usage) for a name App Service
// would not accept.
Endpoint endpoint_for_site(std::string_view site);

// --url ws[s]://host[:port][/path]. Throws Error(usage) for any other scheme, a missing host, a bad
// port, or user info: the secret belongs in the config, never on a command line.
Endpoint endpoint_from_url(std::string_view url);

// True for the names and addresses of this machine: 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(std::string_view host);

}  // namespace ptvsd::tunnel
