#include "net/listen.h"

#include <utility>

namespace ptvsd::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string endpoint_text(const tcp::endpoint& endpoint) {
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

AcceptLoop::AcceptLoop(asio::io_context& io) : acceptor_(io), retry_(io) {}

boost::system::error_code AcceptLoop::listen(const tcp::endpoint& endpoint) {
  boost::system::error_code error;
  acceptor_.open(endpoint.protocol(), error);
  // Lets a restarted program take its port back at once instead of waiting out TIME_WAIT. On
  // Windows, Asio maps this to SO_REUSEADDR, which lets another program share the port: not there.
#if !defined(_WIN32)
  if (!error) acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
#endif
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
  return error;
}

tcp::endpoint AcceptLoop::local_endpoint() const { return acceptor_.local_endpoint(); }

void AcceptLoop::start(Admit admit, Note note) {
  admit_ = std::move(admit);
  note_ = std::move(note);
  accept();
}

void AcceptLoop::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
}

void AcceptLoop::accept() {
  acceptor_.async_accept([this](boost::system::error_code error, tcp::socket socket) {
    if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (error) {
      note_("accepting a connection failed: " + error.message());
      retry_.expires_after(retry_pause);
      retry_.async_wait([this](boost::system::error_code wait_error) {
        if (!wait_error) accept();
      });
      return;
    }
    admit_(std::move(socket));
    accept();
  });
}

}  // namespace ptvsd::net
