// One accepted TCP connection, from its first byte until it is answered and closed or handed to
// a Session as a WebSocket. The order of the checks is the security model:
//   1. the whole request header within handshake_timeout and request_header_limit (slow or huge: cut off)
//   2. the path and the form of the upgrade (request_route)
//   3. the client's address is not waiting out a rate-limit delay (429, secret not even checked)
//   4. the secret (401, counted by the rate limiter)
//   5. a free session (503), then a TCP connection to the debug server (502 when it fails)
// Nothing reaches the debug server before step 5.
#pragma once

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
  Connection(boost::asio::ip::tcp::socket socket, Context& context, Slot pending);
  void start();

 private:
  void on_request(boost::beast::error_code error);
  void on_websocket_request();
  void on_debugger_connected(boost::beast::error_code error);
  void answer(Response response);

  Context& context_;
  Slot pending_;
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
