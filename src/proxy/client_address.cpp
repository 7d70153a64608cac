#include "proxy/client_address.h"

#include <algorithm>

#include "core/ascii.h"

namespace ptvsd::proxy {

namespace {

std::string_view without_port(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    const auto close = address.find(']');
    return close == std::string_view::npos ? address : address.substr(1, close - 1);
  }
  // One colon is IPv4 with a port; more is a bare IPv6 address, which has none.
  if (std::count(address.begin(), address.end(), ':') == 1) return address.substr(0, address.find(':'));
  return address;
}

}  // namespace

std::string client_address(std::string_view peer, std::string_view x_forwarded_for, bool trust_forwarded_for) {
  if (trust_forwarded_for) {
    const auto comma = x_forwarded_for.rfind(',');
    const auto last = without_port(
        trim_spaces_and_tabs(comma == std::string_view::npos ? x_forwarded_for : x_forwarded_for.substr(comma + 1)));
    // A log line is built from this; keep it to what an address can contain.
    const bool plausible = !last.empty() && last.size() <= 64 && std::all_of(last.begin(), last.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
    });
    if (plausible) return std::string(last);
  }
  return std::string(peer);
}

std::string address_group(const boost::asio::ip::address& peer) {
  if (peer.is_v4()) return peer.to_string();
  const auto v6 = peer.to_v6();
  if (v6.is_v4_mapped()) return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), static_cast<unsigned char>(0));
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

}  // namespace ptvsd::proxy
