#include "tunnel/connection.h"

#include <type_traits>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "net/bridge.h"
#include "net/http.h"
#include "proxy/client_websocket.h"
#include "tunnel/failure.h"
#include "tunnel/tls.h"

namespace ptvsd::tunnel {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <class Next>
class Link final : public Connection, public std::enable_shared_from_this<Link<Next>> {
 public:
  template <class... NextArguments>
  Link(asio::io_context& io, tcp::socket local, Shared& shared, unsigned long long id, std::function<void()> done,
       NextArguments&&... next)
      : shared_(shared),
        id_(id),
        done_(std::move(done)),
        local_(std::move(local)),
        resolver_(io),
        remote_(std::forward<NextArguments>(next)...),
        bridge_(remote_, local_, proxy::client_read_buffer_size(shared.limits), proxy::bridge_chunk_bytes) {}

  ~Link() override {
    if (bridged_) shared_.note("connection " + std::to_string(id_) + " closed" + (end_.empty() ? "" : ": " + end_));
    done_();
  }

  void start() {
    const auto& host = shared_.http_proxy ? shared_.http_proxy->host : shared_.endpoint.host;
    const auto port = shared_.http_proxy ? shared_.http_proxy->port : shared_.endpoint.port;
    resolver_.async_resolve(
        host, std::to_string(port),
        [self = this->shared_from_this()](beast::error_code error, tcp::resolver::results_type found) {
          self->on_resolved(error, found);
        });
  }

  void stop() override {
    resolver_.cancel();
    bridge_.close_both();
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(remote_); }
  std::shared_ptr<Link> keep() { return this->shared_from_this(); }

  // The name the message should blame: the proxy's while going through it.
  std::string first_hop() const {
    return shared_.http_proxy ? "the HTTP proxy " + shared_.http_proxy->name() : shared_.endpoint.host_header();
  }

  void on_resolved(beast::error_code error, const tcp::resolver::results_type& found) {
    if (bridge_.closing()) return;
    if (error) {
      const auto name = shared_.http_proxy ? "the HTTP proxy's name '" + shared_.http_proxy->host + "'"
                                           : "'" + shared_.endpoint.host + "'";
      return fail(Error(Code::tunnel_dns, {},
                        "cannot resolve " + name + " (" + error.message() +
                            "); check the site name (--site, --url), HTTPS_PROXY, and this machine's network"));
    }
    lowest().expires_after(shared_.limits.connect_timeout);
    lowest().async_connect(found, [self = keep()](beast::error_code connect_error, const tcp::endpoint&) {
      self->on_connected(connect_error);
    });
  }

  void on_connected(beast::error_code error) {
    if (bridge_.closing()) return;
    if (error) {
      return fail(Error(Code::tunnel_connect, {},
                        "cannot connect to " + first_hop() + " (" + error.message() +
                            "); is the site running and reachable from here? Behind a corporate proxy, set "
                            "HTTPS_PROXY"));
    }
    // DAP sends small messages back to back; Nagle's algorithm would hold the second (the proxy
    // does the same on its sockets).
    beast::error_code ignored;
    lowest().socket().set_option(tcp::no_delay(true), ignored);
    local_.set_option(tcp::no_delay(true), ignored);
    if (shared_.http_proxy) {
      send_connect();
    } else {
      secure();
    }
  }

  void send_connect() {
    const auto authority = shared_.endpoint.host_header().find(':') == std::string::npos
                               ? shared_.endpoint.host_header() + ":" + std::to_string(shared_.endpoint.port)
                               : shared_.endpoint.host_header();
    connect_request_ = {http::verb::connect, authority, net::http_1_1};
    connect_request_.set(http::field::host, authority);
    lowest().expires_after(shared_.limits.handshake_timeout);
    http::async_write(lowest(), connect_request_, [self = keep()](beast::error_code error, std::size_t) {
      if (error) return self->on_connect_answered(error);
      // A 200 answer to CONNECT has no body, whatever its headers say.
      self->connect_response_.skip(true);
      http::async_read_header(
          self->lowest(), self->proxy_buffer_, self->connect_response_,
          [self](beast::error_code read_error, std::size_t) { self->on_connect_answered(read_error); });
    });
  }

  void on_connect_answered(beast::error_code error) {
    if (bridge_.closing()) return;
    const auto status = error ? 0U : connect_response_.get().result_int();
    if (error || status / 100 != 2 || proxy_buffer_.size() != 0) {
      const auto said = error ? error.message() : "it answered " + std::to_string(status);
      return fail(Error(Code::tunnel_http_proxy, {},
                        "the HTTP proxy " + shared_.http_proxy->name() + " did not open a tunnel to " +
                            shared_.endpoint.host_header() + " (" + said +
                            "); check HTTPS_PROXY, or add the site to NO_PROXY if it is reached directly"));
    }
    secure();
  }

  void secure() {
    if constexpr (std::is_same_v<Next, TlsStream>) {
      if (!expect_host(remote_.next_layer().native_handle(), shared_.endpoint.host)) {
        return fail(Error(Code::tunnel_certificate, {},
                          "OpenSSL cannot check certificates for '" + shared_.endpoint.host + "'"));
      }
      lowest().expires_after(shared_.limits.handshake_timeout);
      remote_.next_layer().async_handshake(asio::ssl::stream_base::client,
                                           [self = keep()](beast::error_code error) { self->on_secured(error); });
    } else {
      upgrade();
    }
  }

  void on_secured(beast::error_code error) {
    if (bridge_.closing()) return;
    if (error) {
      if constexpr (std::is_same_v<Next, TlsStream>) {
        const auto verification = verification_of(remote_.next_layer().native_handle());
        if (verification.failed) {
          return fail(untrusted_certificate(shared_.endpoint, verification.hostname_mismatch, verification.reason));
        }
      }
      return fail(Error(Code::tunnel_connect, {},
                        "the TLS handshake with " + shared_.endpoint.host_header() + " failed (" + error.message() +
                            "); does the address serve HTTPS? A plain endpoint takes --url ws://"));
    }
    upgrade();
  }

  void upgrade() {
    // The WebSocket's own timers take over from the TCP stream's (Beast requires one or the other).
    lowest().expires_never();
    proxy::configure_bridge_websocket(remote_, shared_.limits);
    const SensitiveString* authorization = &shared_.authorization;
    remote_.set_option(websocket::stream_base::decorator([authorization](websocket::request_type& request) {
      request.set(http::field::authorization, authorization->str());
      request.set(http::field::user_agent, "ptvsd-publish/" PTVSD_VERSION);
    }));
    remote_.async_handshake(upgrade_response_, shared_.endpoint.host_header(), shared_.endpoint.target,
                            [self = keep()](beast::error_code error) { self->on_upgraded(error); });
  }

  void on_upgraded(beast::error_code error) {
    if (bridge_.closing()) return;
    if (error == websocket::error::upgrade_declined) {
      return fail(refused_upgrade(shared_.endpoint, upgrade_response_.result_int(), upgrade_response_.body()));
    }
    if (error) {
      return fail(Error(Code::tunnel_no_debugger, {},
                        "the WebSocket handshake with " + shared_.endpoint.url() + " failed (" + error.message() +
                            "); is ptvsd-proxy serving that address?"));
    }
    bridged_ = true;
    shared_.note("connection " + std::to_string(id_) + " bridged to " + shared_.endpoint.url());
    bridge_.start(this->weak_from_this(),
                  [this](net::BridgeSide side, beast::error_code bridge_error) { ended(side, bridge_error); });
  }

  // The debugger disconnecting ends the site's session with a close frame, so debugpy sees the
  // disconnect at once and lets a paused app run on.
  void ended(net::BridgeSide side, beast::error_code error) {
    if (side == net::BridgeSide::socket) {
      end_ = "the debugger disconnected";
    } else {
      end_ = error == websocket::error::closed ? "the site closed the session"
                                               : "the site's connection: " + error.message();
    }
  }

  // The debugger sees its connection end at once (a FIN, not a hang), whatever failed.
  void fail(const Error& error) {
    shared_.failed(error);
    bridge_.close_both();
  }

  Shared& shared_;
  unsigned long long id_;
  std::function<void()> done_;
  tcp::socket local_;
  tcp::resolver resolver_;
  websocket::stream<Next> remote_;
  http::request<http::empty_body> connect_request_;
  http::response_parser<http::empty_body> connect_response_;
  beast::flat_buffer proxy_buffer_;
  websocket::response_type upgrade_response_;
  net::Bridge<websocket::stream<Next>> bridge_;
  bool bridged_ = false;
  std::string end_;
};

}  // namespace

std::shared_ptr<Connection> open_connection(asio::io_context& io, tcp::socket local, Shared& shared,
                                            unsigned long long id, std::function<void()> done) {
  if (shared.tls != nullptr) {
    auto link = std::make_shared<Link<TlsStream>>(io, std::move(local), shared, id, std::move(done), io, *shared.tls);
    link->start();
    return link;
  }
  auto link = std::make_shared<Link<beast::tcp_stream>>(io, std::move(local), shared, id, std::move(done), io);
  link->start();
  return link;
}

}  // namespace ptvsd::tunnel
