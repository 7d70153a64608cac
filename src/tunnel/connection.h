// One debugger connection through the tunnel: the local TCP socket a debugger opened, and the
// WebSocket opened to the site for it. Connecting goes: resolve, TCP connect, HTTP CONNECT through
// a proxy when there is one, TLS for wss:// (verified), the WebSocket upgrade with the secret in an
// Authorization header. Then bytes flow both ways through the bridge the proxy runs too
// (net/bridge.h), with the proxy's message size limit.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "core/diagnostics.h"
#include "core/secret.h"
#include "proxy/settings.h"
#include "tunnel/endpoint.h"
#include "tunnel/http_proxy.h"

namespace ptvsd::tunnel {

// What all connections of one tunnel share. One io_context thread uses it, so no locks.
struct Shared {
  Endpoint endpoint;
  std::optional<HttpProxy> http_proxy;
  boost::asio::ssl::context* tls = nullptr;      // null for ws://
  SensitiveString authorization;                 // "Bearer <secret>", wiped when the tunnel ends
  proxy::Settings limits;                        // the proxy's message size and timeouts
  std::function<void(const std::string&)> note;  // one line for people on stderr (not in --quiet)
  std::function<void(const Error&)> failed;      // a connection's failure, reported by the tunnel
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Closes both sockets at once (Ctrl-C, or the tunnel ending); the handlers then finish.
  virtual void stop() = 0;
};

// Starts connecting to the site for `local`, a debugger's freshly accepted socket. `id` numbers it
// in messages. The connection keeps itself alive until both sides are closed; `done` runs then.
std::shared_ptr<Connection> open_connection(boost::asio::io_context& io, boost::asio::ip::tcp::socket local,
                                            Shared& shared, unsigned long long id, std::function<void()> done);

}  // namespace ptvsd::tunnel
