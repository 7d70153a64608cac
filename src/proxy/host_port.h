// "host:port" option values: "127.0.0.1:5678", "localhost:8080", "[::1]:5678".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ptvsd::proxy {

struct HostPort {
  std::string host;  // without brackets
  std::uint16_t port = 0;
};

// Throws Error(proxy_config) naming `option` when the text is not host:port with a port from
// 0 to 65535 (0 only when `allow_port_zero`: the system picks a free port).
HostPort parse_host_port(std::string_view text, std::string_view option, bool allow_port_zero = false);

}  // namespace ptvsd::proxy
