#include "net/host_port.h"

#include <algorithm>

#include "core/diagnostics.h"

namespace ptvsd::net {

std::optional<unsigned long> port_number(std::string_view text) {
  if (text.empty() || text.size() > 5 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoul(std::string(text));
}

HostPort parse_host_port(std::string_view text, std::string_view option, bool allow_port_zero) {
  const auto fail = [&](const std::string& why) -> HostPort {
    throw Error(Code::proxy_config, {"ptvsd-proxy"},
                "--" + std::string(option) + " '" + std::string(text) + "': " + why +
                    " (expected HOST:PORT, e.g. 127.0.0.1:5678 or [::1]:5678)");
  };
  HostPort result;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return fail("an IPv6 address in brackets must be followed by :PORT");
    }
    result.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return fail("no port");
    if (text.find(':') != colon) return fail("an IPv6 address needs brackets");
    result.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  if (result.host.empty()) return fail("no host");
  const auto number = port_number(port);
  if (!number) return fail("the port is not a number");
  if (*number > max_port || (*number == 0 && !allow_port_zero)) return fail("the port is out of range");
  result.port = static_cast<std::uint16_t>(*number);
  return result;
}

}  // namespace ptvsd::net
