// "host:port" option values: "127.0.0.1:5678", "localhost:8080", "[::1]:5678", and the port
// numbers that the proxy's options, attach's --url and its HTTP proxy all spell the same way.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace ptvsd::net {

inline constexpr unsigned long max_port = std::numeric_limits<std::uint16_t>::max();

// The number a port's text spells: 1 to 5 decimal digits, nothing else (no sign, no space). It may
// still be out of range (over max_port, or 0, which only a listener can take), which each caller
// reports in its own words. nullopt when the text is not such a number.
std::optional<unsigned long> port_number(std::string_view text);

struct HostPort {
  std::string host;  // without brackets
  std::uint16_t port = 0;
};

// Throws Error(proxy_config) naming `option` when the text is not host:port with a port from
// 0 to 65535 (0 only when `allow_port_zero`: the system picks a free port).
HostPort parse_host_port(std::string_view text, std::string_view option, bool allow_port_zero = false);

}  // namespace ptvsd::net
