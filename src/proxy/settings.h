// The proxy's limits and addresses, as the command line sets them.
#pragma once

#include <chrono>
#include <cstddef>

#include <boost/asio/ip/tcp.hpp>

#include "proxy/handshake_pool.h"
#include "proxy/rate_limit.h"

namespace ptvsd::proxy {

struct Settings {
  boost::asio::ip::tcp::endpoint listen;
  boost::asio::ip::tcp::endpoint debugger{boost::asio::ip::make_address_v4("127.0.0.1"), 5678};
  // debugpy serves one debugger at a time (a second gets "already being debugged" from it), and a
  // debugger's REPL shares its connection; so one, and a second debugger gets a 503 saying why.
  std::size_t max_sessions = 1;
  // Connections still in their HTTP handshake, in all and per client address (handshake_pool.h);
  // each lives at most handshake_timeout.
  HandshakeLimits handshakes;
  // Largest WebSocket message accepted from a client; DAP requests are far smaller.
  std::size_t max_message_bytes = 1024 * 1024;
  // The whole HTTP request must arrive within this, however it is dribbled; it also bounds the
  // WebSocket closing handshake.
  std::chrono::seconds handshake_timeout{10};
  // A connection that has sent nothing by then is closed: a client sends its request as soon as
  // it has connected, while a silent socket only holds a place (handshake_pool.h).
  std::chrono::seconds first_byte_timeout{2};
  // A client silent this long (a ping is sent halfway) is cut off. A debugger paused at a
  // breakpoint still answers pings, so this does not end a live session.
  std::chrono::seconds idle_timeout{300};
  std::chrono::seconds connect_timeout{5};
  // Behind IIS, the client's address is the last X-Forwarded-For entry (see client_address.h).
  bool trust_forwarded_for = false;
  RateLimitPolicy rate_limit;
};

}  // namespace ptvsd::proxy
