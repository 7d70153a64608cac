// One accepted TCP connection, from its first byte until it is answered and closed or handed to
// a Session as a WebSocket. The order of the checks is the security model:
//   0. a place among the pending handshakes (handshake_pool.h), the first byte within
//      first_byte_timeout
//   1. the whole request header within handshake_timeout and request_header_limit (slow or huge: cut off)
//   2. the path and the form of the upgrade (request_route)
//   3. the secret, always, in constant time: a wrong one is counted by the rate limiter and gets
//      401, or 429 while its address waits out a delay; the right one gets in even then, since the
//      limiter is there to slow guessing, not to lock out whoever shares an address with a guesser
//   4. a free session (503), then a TCP connection to the debug server (502 when it fails)
// Nothing reaches the debug server before step 4. Bytes that arrived after the request (a client
// that sent its first frame with the upgrade) are handed to the Session.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "proxy/context.h"
#include "proxy/request_route.h"
#include "proxy/responses.h"

namespace ptvsd::proxy {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, Context& context);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // Starts reading; the ticket holds the connection's place among the pending handshakes.
  void start(HandshakeTicket ticket);
  // Closes the socket at once: the pool pushed this handshake out for a newcomer.
  void drop();

 private:
  void on_first_bytes(boost::beast::error_code error, std::size_t size);
  void on_request(boost::beast::error_code error);
  void on_websocket_request();
  void on_debugger_connected(boost::beast::error_code error);
  void answer(Response response);

  Context& context_;
  std::optional<HandshakeTicket> ticket_;
  std::chrono::steady_clock::time_point deadline_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  RequestParser parser_;
  Response response_;
  std::string peer_;
  std::string client_;
  std::optional<Slot> session_;
  std::optional<boost::beast::tcp_stream> debugger_;
};

}  // namespace ptvsd::proxy
