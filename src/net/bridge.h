// The relay both programs run once their WebSocket is open: the proxy between a debugger's
// WebSocket and debugpy's TCP socket, the `attach` tunnel between the site's WebSocket and a local
// debugger's TCP socket. Each WebSocket message goes to the TCP socket as it is, and each TCP read
// goes back as one binary message. Each direction has one operation in flight: the next read
// starts only when the previous data has been written to the other side, so a slow reader slows
// the writer down instead of filling memory. When either side ends, the other is closed too:
// after the TCP side, the WebSocket gets a close frame once anything already read from the socket
// has been sent; after the WebSocket side, the TCP socket closes at once, since nothing more can
// be delivered.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace ptvsd::net {

enum class BridgeSide { websocket, socket };

template <class WebSocket>
class Bridge {
 public:
  using error_code = boost::beast::error_code;
  using Ended = std::function<void(BridgeSide, error_code)>;

  // `message_buffer_bytes` holds the largest WebSocket message accepted; `chunk_bytes` is the
  // most one TCP read takes (and so the largest message sent).
  Bridge(WebSocket& websocket, boost::asio::ip::tcp::socket& socket, std::size_t message_buffer_bytes,
         std::size_t chunk_bytes)
      : websocket_(websocket), socket_(socket), from_websocket_(message_buffer_bytes), from_socket_(chunk_bytes) {}

  // `owner` holds both streams and this bridge; every pending handler keeps it alive. `ended`
  // hears once which side ended the bridge, and why (not after close_both).
  void start(std::weak_ptr<void> owner, Ended ended) {
    owner_ = std::move(owner);
    ended_ = std::move(ended);
    read_websocket();
    read_socket();
  }

  // Ends both sides at once, from outside: the tunnel stopping, or a connection failing before
  // it was bridged. Safe to call again.
  void close_both() {
    closing_ = true;
    close_socket();
    close_websocket_socket();
  }

  bool closing() const { return closing_; }

 private:
  void read_websocket() {
    websocket_.async_read(from_websocket_, [this, keep = owner_.lock()](error_code error, std::size_t) {
      if (error) return websocket_gone(error);
      write_socket();
    });
  }

  void write_socket() {
    boost::asio::async_write(socket_, from_websocket_.data(),
                             [this, keep = owner_.lock()](error_code error, std::size_t) {
                               if (error) return socket_gone(error);
                               from_websocket_.consume(from_websocket_.size());
                               read_websocket();
                             });
  }

  void read_socket() {
    socket_.async_read_some(boost::asio::buffer(from_socket_),
                            [this, keep = owner_.lock()](error_code error, std::size_t size) {
                              if (error) return socket_gone(error);
                              if (!closing_) write_websocket(size);
                            });
  }

  void write_websocket(std::size_t size) {
    websocket_write_pending_ = true;
    websocket_.async_write(boost::asio::buffer(from_socket_.data(), size),
                           [this, keep = owner_.lock()](error_code error, std::size_t) {
                             websocket_write_pending_ = false;
                             if (close_after_write_) return close_websocket();
                             if (error) return websocket_gone(error);
                             if (!closing_) read_socket();
                           });
  }

  void socket_gone(error_code error) {
    if (closing_) return;
    closing_ = true;
    ended_(BridgeSide::socket, error);
    close_socket();
    // Beast allows one write at a time and a close frame is a write: wait for a message in flight.
    if (websocket_write_pending_) {
      close_after_write_ = true;
    } else {
      close_websocket();
    }
  }

  void websocket_gone(error_code error) {
    if (closing_) return;
    closing_ = true;
    ended_(BridgeSide::websocket, error);
    close_socket();
    close_websocket_socket();
  }

  // Beast finishes the closing handshake (waiting for the peer's close frame at most the
  // WebSocket's handshake timeout) and then closes the socket.
  void close_websocket() {
    websocket_.async_close(boost::beast::websocket::close_code::normal, [keep = owner_.lock()](error_code) {});
  }

  void close_socket() { close(socket_); }
  void close_websocket_socket() { close(boost::beast::get_lowest_layer(websocket_).socket()); }

  static void close(boost::asio::ip::tcp::socket& socket) {
    error_code ignored;
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  WebSocket& websocket_;
  boost::asio::ip::tcp::socket& socket_;
  boost::beast::flat_buffer from_websocket_;
  std::vector<char> from_socket_;
  std::weak_ptr<void> owner_;
  Ended ended_;
  bool closing_ = false;
  bool websocket_write_pending_ = false;
  bool close_after_write_ = false;
};

}  // namespace ptvsd::net
