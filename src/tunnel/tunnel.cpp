#include "tunnel/tunnel.h"

#include <csignal>
#include <map>
#include <optional>
#include <vector>

#include <boost/asio/signal_set.hpp>

#include "net/listen.h"
#include "tunnel/failure.h"

namespace ptvsd::tunnel {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Debugpy takes one debugger at a time and the site enforces it with a clear answer; this only
// bounds what a runaway local client can open.
constexpr std::size_t max_connections = 8;

class Listener {
 public:
  Listener(asio::io_context& io, Shared& shared) : io_(io), shared_(shared), accept_loop_(io), signals_(io) {}

  void listen(const tcp::endpoint& endpoint) {
    if (const auto error = accept_loop_.listen(endpoint)) {
      throw Error(Code::tunnel_listen, {},
                  "cannot listen on " + net::endpoint_text(endpoint) + " (" + error.message() +
                      "); is another tunnel or a local debugpy using it? Pick another port with --listen "
                      "127.0.0.1:PORT");
    }
  }

  tcp::endpoint local_endpoint() const { return accept_loop_.local_endpoint(); }

  void start() {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](boost::system::error_code error, int) {
      if (!error) stop();
    });
    accept_loop_.start([this](tcp::socket socket) { admit(std::move(socket)); },
                       [this](const std::string& line) { shared_.note(line); });
  }

  // What ended the tunnel, when it was not Ctrl-C.
  const std::optional<Error>& fatal() const { return fatal_; }

  // The first failure that ends the tunnel is kept to be thrown (and so reported once); later
  // ones are the stopping connections' own and are dropped.
  void connection_failed(const Error& error, const std::function<void(const Error&)>& report) {
    if (!ends_the_tunnel(error)) {
      if (!fatal_) report(error);
      return;
    }
    if (!fatal_) fatal_ = error;
    stop();
  }

 private:
  void stop() {
    accept_loop_.stop();
    signals_.cancel();
    // Copied first: stopping a connection may end it, which erases it from the map.
    std::vector<std::shared_ptr<Connection>> open;
    for (auto& [id, connection] : connections_) {
      if (auto alive = connection.lock()) open.push_back(std::move(alive));
    }
    for (auto& connection : open) connection->stop();
  }

  void admit(tcp::socket socket) {
    const auto id = next_id_++;
    if (connections_.size() >= max_connections) {
      shared_.note("connection " + std::to_string(id) + " refused: " + std::to_string(max_connections) +
                   " connections are open already");
      boost::system::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
      return;
    }
    boost::system::error_code ignored;
    const auto peer = socket.remote_endpoint(ignored);
    shared_.note("connection " + std::to_string(id) + " from " + net::endpoint_text(peer) + ", connecting to " +
                 shared_.endpoint.url());
    connections_[id] = open_connection(io_, std::move(socket), shared_, id, [this, id] { connections_.erase(id); });
  }

  asio::io_context& io_;
  Shared& shared_;
  net::AcceptLoop accept_loop_;
  asio::signal_set signals_;
  std::map<unsigned long long, std::weak_ptr<Connection>> connections_;
  unsigned long long next_id_ = 1;
  std::optional<Error> fatal_;
};

}  // namespace

void run_tunnel(Shared& shared, const tcp::endpoint& listen, const std::function<void(const tcp::endpoint&)>& ready) {
  asio::io_context io;
  Listener listener(io, shared);
  listener.listen(listen);
  const auto report = shared.failed;
  shared.failed = [&listener, report](const Error& error) { listener.connection_failed(error, report); };
  listener.start();
  ready(listener.local_endpoint());
  io.run();
  shared.failed = report;
  if (listener.fatal()) throw *listener.fatal();
}

}  // namespace ptvsd::tunnel
