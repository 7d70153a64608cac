// A bridged session's socket options, read from the proxy's own sockets: a Server runs in this
// process, a WebSocket client and a stand-in debug server connect to it, and the proxy's two
// sockets of the session are found among the process's descriptors by their addresses. What the
// options do to timing is measured in bench/, never asserted here.
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <gtest/gtest.h>

#if !defined(_WIN32)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

#include "core/secret.h"
#include "proxy/server.h"

namespace ptvsd::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

constexpr std::string_view strong = "mMkx_Jdi2NhlkL3qkcHOGtGkqKnntAd3kvW4BRuqFQQ";

#if !defined(_WIN32)
tcp::endpoint endpoint_of(const sockaddr_storage& address, socklen_t size) {
  tcp::endpoint endpoint;
  std::memcpy(endpoint.data(), &address, size);
  endpoint.resize(size);
  return endpoint;
}

// The descriptor of this process's TCP socket from `local` to `remote`, or -1. Descriptors are
// handed out lowest first, and this process holds a few dozen at most.
int socket_between(const tcp::endpoint& local, const tcp::endpoint& remote) {
  for (int fd = 0; fd < 1024; ++fd) {
    sockaddr_storage here{};
    sockaddr_storage there{};
    socklen_t here_size = sizeof here;
    socklen_t there_size = sizeof there;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&here), &here_size) != 0) continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&there), &there_size) != 0) continue;
    if (here.ss_family != AF_INET) continue;
    if (endpoint_of(here, here_size) == local && endpoint_of(there, there_size) == remote) return fd;
  }
  return -1;
}

bool nagle_off(int fd) {
  int value = 0;
  socklen_t size = sizeof value;
  EXPECT_EQ(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &value, &size), 0);
  return value != 0;
}
#endif

// A Server on a thread of its own. Declared before the test's sockets, so it is destroyed after
// them: by then its sessions have ended, and run() returns once the server stops accepting.
class RunningProxy {
 public:
  explicit RunningProxy(Settings settings)
      : secret_(Secret::from_text(strong)), context_(std::move(settings), secret_), server_(io_, context_) {
    server_.listen();
    endpoint_ = server_.local_endpoint();
    server_.start_accepting();
    thread_ = std::thread([this] { io_.run(); });
  }
  RunningProxy(const RunningProxy&) = delete;
  RunningProxy& operator=(const RunningProxy&) = delete;
  ~RunningProxy() {
    asio::post(io_, [this] { server_.stop(); });
    thread_.join();
  }
  const tcp::endpoint& endpoint() const { return endpoint_; }

 private:
  Secret secret_;
  Context context_;  // outlives io_, whose destruction destroys pending handlers
  asio::io_context io_{1};
  Server server_;
  tcp::endpoint endpoint_;
  std::thread thread_;
};

// Settings for a proxy on a free loopback port in front of `debugger`.
Settings settings_for(const tcp::acceptor& debugger) {
  Settings settings;
  settings.listen = tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0);
  settings.debugger = debugger.local_endpoint();
  return settings;
}

// A WebSocket client bridged through `proxy` (the handshake done), sending binary messages.
void attach(websocket::stream<tcp::socket>& client, const RunningProxy& proxy) {
  client.next_layer().connect(proxy.endpoint());
  client.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
    request.set(beast::http::field::authorization, "Bearer " + std::string(strong));
  }));
  client.binary(true);
  client.handshake("127.0.0.1", "/ptvsd");
}

TEST(ProxySession, BothSocketsOfABridgedSessionSendWithoutNagle) {
#if defined(_WIN32)
  GTEST_SKIP() << "finds the proxy's sockets by scanning POSIX file descriptors";
#else
  asio::io_context io;  // the test's side: blocking calls only
  tcp::acceptor debugger(io, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
  const RunningProxy proxy(settings_for(debugger));

  websocket::stream<tcp::socket> client(io);
  // The proxy connects to the debugger before it answers the upgrade, and sets the options before
  // that answer: once the handshake is done, both sockets are there to look at.
  attach(client, proxy);
  tcp::socket upstream = debugger.accept();

  const int client_side = socket_between(proxy.endpoint(), client.next_layer().local_endpoint());
  const int debugger_side = socket_between(upstream.remote_endpoint(), debugger.local_endpoint());
  EXPECT_NE(client_side, -1) << "no socket of the proxy's from the WebSocket client";
  EXPECT_NE(debugger_side, -1) << "no socket of the proxy's to the debug server";
  EXPECT_TRUE(client_side != -1 && nagle_off(client_side)) << "the WebSocket connection keeps Nagle's algorithm";
  EXPECT_TRUE(debugger_side != -1 && nagle_off(debugger_side)) << "the debug server connection keeps Nagle's algorithm";

  // The sockets found are the bridge's: a message crosses it.
  client.write(asio::buffer(std::string("ping")));
  std::string received(4, '\0');
  asio::read(upstream, asio::buffer(received));
  EXPECT_EQ(received, "ping");

  // Closing the client closes the proxy's side of the debugger connection: the session is over.
  client.close(websocket::close_code::normal);
  char byte = 0;
  beast::error_code error;
  asio::read(upstream, asio::buffer(&byte, 1), error);
  EXPECT_EQ(error, asio::error::eof);
#endif
}

// --max-message-bytes is the largest message that passes. One byte more closes the WebSocket with
// 1009 (message too big), and no byte of that message reaches the debug server.
TEST(ProxySession, AMessageOfExactlyTheLimitPassesAndOneByteMoreIsRefused) {
  asio::io_context io;
  tcp::acceptor debugger(io, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
  auto settings = settings_for(debugger);
  settings.max_message_bytes = 4096;
  const RunningProxy proxy(settings);
  websocket::stream<tcp::socket> client(io);
  attach(client, proxy);
  tcp::socket upstream = debugger.accept();

  const std::string largest(settings.max_message_bytes, 'a');
  client.write(asio::buffer(largest));
  std::string received(largest.size(), '\0');
  asio::read(upstream, asio::buffer(received));
  EXPECT_EQ(received, largest) << "a message of exactly --max-message-bytes did not pass";

  client.write(asio::buffer(std::string(settings.max_message_bytes + 1, 'b')));
  // The client answers the proxy's close frame on a thread of its own (the proxy waits for that
  // answer before it lets go of the session) while this one watches the debug server's side.
  beast::error_code client_error;
  std::thread client_reader([&client, &client_error] {
    beast::flat_buffer buffer;
    client.read(buffer, client_error);
  });
  std::string forwarded(2 * settings.max_message_bytes, '\0');
  beast::error_code error;
  const auto count = upstream.read_some(asio::buffer(forwarded), error);
  EXPECT_EQ(count, 0u) << "bytes of a message over --max-message-bytes reached the debug server";
  EXPECT_EQ(error, asio::error::eof) << error.message();
  upstream.close();  // ends a session that forwarded the message, and with it the client's read
  client_reader.join();
  EXPECT_EQ(client_error, websocket::error::closed) << client_error.message();
  EXPECT_EQ(client.reason().code, websocket::close_code::too_big);
}

}  // namespace
}  // namespace ptvsd::proxy
