// The address a client is known by, for the rate limiter and the log. Behind IIS every
// connection comes from 127.0.0.1 (HttpPlatformHandler is the peer), and the real client is the
// last entry of X-Forwarded-For, which IIS appends itself; earlier entries come from the client
// and can be forged. So the header counts only when the proxy is told it sits behind IIS.
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>

namespace ptvsd::proxy {

// `peer` (the socket's remote address) unless `trust_forwarded_for` and the header's last entry
// is non-empty; a port on that entry ("1.2.3.4:5678", "[::1]:5678") is dropped.
std::string client_address(std::string_view peer, std::string_view x_forwarded_for, bool trust_forwarded_for);

// The group a socket's peer is counted in for the per-address handshake cap: an IPv4 address
// (also when mapped into IPv6) on its own, an IPv6 address by its /64, the block one host or
// one customer usually gets, so that a host cannot escape the cap by cycling through its addresses.
std::string address_group(const boost::asio::ip::address& peer);

}  // namespace ptvsd::proxy
