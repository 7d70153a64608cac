// One debugging session: the WebSocket handshake for a checked upgrade request, then the bridge
// (net/bridge.h) between the client's WebSocket and the debug server's TCP socket, and a log line
// when it ends. Both sockets send small writes at once (TCP_NODELAY) instead of holding them back
// for an ACK.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffered_read_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include "net/bridge.h"
#include "proxy/client_websocket.h"
#include "proxy/context.h"
#include "proxy/request_route.h"

namespace ptvsd::proxy {

// The client's TCP stream with the bytes read past the request put back in front of it. A type of
// our own, so that the teardown below (which Beast finds by argument-dependent lookup when it
// closes the WebSocket) belongs to it.
class ClientStream : public boost::beast::buffered_read_stream<boost::beast::tcp_stream, boost::beast::flat_buffer> {
 public:
  using buffered_read_stream::buffered_read_stream;
};

// Closing the WebSocket closes the TCP stream underneath; the replayed bytes have no say in it.
inline void teardown(boost::beast::role_type role, ClientStream& stream, boost::beast::error_code& error) {
  using boost::beast::websocket::teardown;
  teardown(role, stream.next_layer(), error);
}

template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, ClientStream& stream, TeardownHandler&& handler) {
  using boost::beast::websocket::async_teardown;
  async_teardown(role, stream.next_layer(), std::forward<TeardownHandler>(handler));
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::beast::tcp_stream client, boost::beast::tcp_stream debugger, Context& context, Slot slot,
          std::string client_address, unsigned long long id);
  ~Session();

  // Completes the WebSocket handshake for the upgrade request already read and checked.
  // `early_bytes` came after the request in the same reads (a client that sent its first frames
  // without waiting for the 101): they are read before anything else from the socket.
  void start(Request upgrade, boost::asio::const_buffer early_bytes);

 private:
  void on_accepted(boost::beast::error_code error);
  void ended(net::BridgeSide side, boost::beast::error_code error);

  Context& context_;
  Slot slot_;
  std::string client_address_;
  unsigned long long id_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  boost::beast::websocket::stream<ClientStream> client_;
  boost::beast::tcp_stream debugger_;
  net::Bridge<boost::beast::websocket::stream<ClientStream>> bridge_;
  bool bridged_ = false;
  std::string end_reason_;
};

}  // namespace ptvsd::proxy
