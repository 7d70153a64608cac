#include "proxy/server.h"

#include <memory>
#include <optional>
#include <string>

#include "core/diagnostics.h"
#include "proxy/client_address.h"
#include "proxy/connection.h"

namespace ptvsd::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Server::Server(asio::io_context& io, Context& context) : context_(context), accept_loop_(io) {}

void Server::listen() {
  const auto& endpoint = context_.settings.listen;
  if (const auto error = accept_loop_.listen(endpoint)) {
    throw Error(Code::proxy_listen, {"ptvsd-proxy"},
                "cannot listen on " + net::endpoint_text(endpoint) + ": " + error.message());
  }
}

tcp::endpoint Server::local_endpoint() const { return accept_loop_.local_endpoint(); }

void Server::start_accepting() {
  accept_loop_.start([this](tcp::socket socket) { admit(std::move(socket)); }, log_line);
}

void Server::stop() { accept_loop_.stop(); }

void Server::admit(tcp::socket socket) {
  // Behind a trusted front end every peer is the front end itself: capping it by address would cap
  // everyone together, so only the pool's total and its eviction apply there.
  std::optional<std::string> group;
  boost::system::error_code error;
  const auto peer = socket.remote_endpoint(error);
  if (error) return;  // gone already; the socket closes here
  if (!context_.settings.trust_forwarded_for) group = address_group(peer.address());
  const auto connection = std::make_shared<Connection>(std::move(socket), context_);
  const auto id = context_.handshakes.admit(std::move(group), [weak = std::weak_ptr<Connection>(connection)] {
    if (const auto dropped = weak.lock()) dropped->drop();
  });
  // Turned away (every handshake in its way is talking): the socket closes with `connection`.
  if (id) connection->start(HandshakeTicket(context_.handshakes, *id));
}

}  // namespace ptvsd::proxy
