// One bridged debugging session: WebSocket messages from the client go to the debug server's TCP
// socket and the server's bytes go back as binary messages, each in a single frame. Both sockets
// send small writes at once (TCP_NODELAY) instead of holding them back for an ACK. Each direction
// has one operation in flight at a time: the next read starts only when the previous data has been
// written to the other side, so a slow reader slows the writer down instead of filling memory. When
// either side closes, the other is closed too: the TCP socket at once, the WebSocket with a close
// frame after anything already read from the debugger has been sent.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffered_read_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <boost/beast/websocket/stream.hpp>

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
  void read_client();
  void on_client_message(boost::beast::error_code error);
  void on_debugger_written(boost::beast::error_code error);
  void read_debugger();
  void on_debugger_data(boost::beast::error_code error, std::size_t size);
  void on_client_written(boost::beast::error_code error);
  void client_gone(boost::beast::error_code error);
  void debugger_gone(boost::beast::error_code error);
  void close_websocket();

  Context& context_;
  Slot slot_;
  std::string client_address_;
  unsigned long long id_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  boost::beast::websocket::stream<ClientStream> client_;
  boost::beast::tcp_stream debugger_;
  boost::beast::flat_buffer from_client_;
  std::vector<char> from_debugger_;
  bool bridged_ = false;
  bool closing_ = false;
  bool client_write_pending_ = false;
  bool close_after_write_ = false;
  std::string end_reason_;
};

}  // namespace ptvsd::proxy
