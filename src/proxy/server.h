// The listening socket and its accept loop. Each connection becomes a Connection (HTTP handshake)
// and, if it passes, a Session (bridge). Connections take a place in a bounded pool of pending
// handshakes (handshake_pool.h), so a crowd of slow or silent clients can take neither all memory
// and file handles nor every place; sessions are limited by
// Connection itself, after the secret check, so an unauthenticated client cannot learn whether
// someone is debugging.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/secret.h"
#include "net/listen.h"
#include "proxy/context.h"

namespace ptvsd::proxy {

class Server {
 public:
  // `context` must outlive `io`: destroying an io_context destroys the handlers still pending,
  // and with them connections that give places back to the context's pools.
  Server(boost::asio::io_context& io, Context& context);

  // Binds and listens; throws Error(proxy_listen) when the address cannot be used.
  void listen();
  // The bound address (the real port when settings asked for port 0).
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void start_accepting();
  // Stops accepting; bridged sessions end when the io_context stops.
  void stop();

 private:
  void admit(boost::asio::ip::tcp::socket socket);

  Context& context_;
  net::AcceptLoop accept_loop_;
};

}  // namespace ptvsd::proxy
