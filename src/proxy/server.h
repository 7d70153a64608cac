// The listening socket and its accept loop. Each connection becomes a Connection (HTTP handshake)
// and, if it passes, a Session (bridge). Connections beyond max_pending are closed at once, so a
// crowd of slow clients cannot take all memory or file handles; sessions are limited by
// Connection itself, after the secret check, so an unauthenticated client cannot learn whether
// someone is debugging.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/secret.h"
#include "proxy/context.h"

namespace ptvsd::proxy {

class Server {
 public:
  Server(boost::asio::io_context& io, Settings settings, const Secret& secret);

  // Binds and listens; throws Error(proxy_listen) when the address cannot be used.
  void listen();
  // The bound address (the real port when settings asked for port 0).
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void start_accepting();
  // Stops accepting; bridged sessions end when the io_context stops.
  void stop();

 private:
  void accept();

  Context context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
};

}  // namespace ptvsd::proxy
