#include "proxy/session.h"

#include <string_view>

#include <boost/beast/websocket/error.hpp>

namespace ptvsd::proxy {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

namespace {

// DAP often sends two messages back to back (a response, then an event). With Nagle's algorithm
// the second waits in the socket until the peer acknowledges the first, and the peer delays that
// ACK: measured, 44 ms for such a pair through the proxy, 0.56 ms without Nagle. A socket that
// keeps Nagle still works, only slower, so a failure is logged and the session goes on.
void send_without_delay(tcp::socket& socket, const std::string& context, std::string_view connection) {
  beast::error_code error;
  socket.set_option(tcp::no_delay(true), error);
  if (error) {
    log_line(context + ": setting TCP_NODELAY on the " + std::string(connection) + ": " + error.message());
  }
}

}  // namespace

Session::Session(beast::tcp_stream client, beast::tcp_stream debugger, Context& context, Slot slot,
                 std::string client_address, unsigned long long id)
    : context_(context),
      slot_(std::move(slot)),
      client_address_(std::move(client_address)),
      id_(id),
      client_(std::move(client)),
      debugger_(std::move(debugger)),
      bridge_(client_, debugger_.socket(), client_read_buffer_size(context.settings), bridge_chunk_bytes) {}

Session::~Session() {
  if (!bridged_) return;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
  log_line("session " + std::to_string(id_) + " (" + client_address_ + ") closed after " +
           std::to_string(seconds.count()) + "s" + (end_reason_.empty() ? "" : ": " + end_reason_));
}

void Session::start(Request upgrade, boost::asio::const_buffer early_bytes) {
  auto& replay = client_.next_layer().buffer();
  replay.commit(boost::asio::buffer_copy(replay.prepare(early_bytes.size()), early_bytes));
  // The WebSocket's own timers take over from the TCP stream's (Beast requires one or the other).
  beast::get_lowest_layer(client_).expires_never();
  configure_client_websocket(client_, context_.settings);
  send_without_delay(beast::get_lowest_layer(client_).socket(), client_address_, "WebSocket connection");
  send_without_delay(debugger_.socket(), client_address_, "debug server connection");
  client_.async_accept(upgrade, [self = shared_from_this()](beast::error_code error) { self->on_accepted(error); });
}

void Session::on_accepted(beast::error_code error) {
  if (error) {
    log_line(client_address_ + ": WebSocket handshake failed: " + error.message());
    beast::error_code ignored;
    debugger_.socket().close(ignored);
    return;
  }
  bridged_ = true;
  log_line("session " + std::to_string(id_) + " (" + client_address_ + ") bridged to the debug server; " +
           std::to_string(context_.sessions) + " of " + std::to_string(context_.settings.max_sessions) +
           " sessions open");
  bridge_.start(weak_from_this(),
                [this](net::BridgeSide side, beast::error_code bridge_error) { ended(side, bridge_error); });
}

void Session::ended(net::BridgeSide side, beast::error_code error) {
  if (side == net::BridgeSide::websocket) {
    end_reason_ = error == websocket::error::closed ? "the client closed the WebSocket"
                                                    : "WebSocket: " + error.message();
  } else {
    end_reason_ = error == boost::asio::error::eof ? "the debug server closed the connection"
                                                   : "debug server connection: " + error.message();
  }
}

}  // namespace ptvsd::proxy
