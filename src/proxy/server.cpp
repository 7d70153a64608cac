#include "proxy/server.h"

#include <memory>

#include "core/diagnostics.h"
#include "proxy/connection.h"

namespace ptvsd::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Server::Server(asio::io_context& io, Settings settings, const Secret& secret)
    : context_(std::move(settings), secret), acceptor_(io), retry_timer_(io) {}

void Server::listen() {
  const auto& endpoint = context_.settings.listen;
  boost::system::error_code error;
  acceptor_.open(endpoint.protocol(), error);
  // Lets a restarted proxy take its port back at once instead of waiting out TIME_WAIT. On
  // Windows, Asio maps this to SO_REUSEADDR, which is not used there for that reason.
#if !defined(_WIN32)
  if (!error) acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
#endif
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    throw Error(Code::proxy_listen, {"ptvsd-proxy"},
                "cannot listen on " + endpoint.address().to_string() + ":" + std::to_string(endpoint.port()) +
                    ": " + error.message());
  }
}

tcp::endpoint Server::local_endpoint() const { return acceptor_.local_endpoint(); }

void Server::start_accepting() { accept(); }

void Server::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
}

void Server::accept() {
  acceptor_.async_accept([this](boost::system::error_code error, tcp::socket socket) {
    if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (error) {
      // Out of file handles and the like: pause instead of spinning on the same error.
      log_line(std::string("accepting a connection failed: ") + error.message());
      retry_timer_.expires_after(std::chrono::milliseconds(200));
      retry_timer_.async_wait([this](boost::system::error_code wait_error) {
        if (!wait_error) accept();
      });
      return;
    }
    if (context_.pending >= context_.settings.max_pending) {
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      std::make_shared<Connection>(std::move(socket), context_, Slot(context_.pending))->start();
    }
    accept();
  });
}

}  // namespace ptvsd::proxy
