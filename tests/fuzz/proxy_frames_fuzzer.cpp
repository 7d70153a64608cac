// The proxy's WebSocket frame handling, from the client's side of a bridged session. The proxy has
// no frame code of its own: Session::start configures Beast's websocket::stream and Session reads
// whole messages with async_read. So this target fuzzes Beast configured by the proxy's own
// configure_client_websocket with the default Settings, reading into a buffer of
// client_read_buffer_size, after accepting the upgrade request the way Session does, on an
// in-memory stream: the fuzzer's bytes are what the client sent (masked or not,
// control frames, fragments, lengths beyond the limit), followed by end of stream.
//
// Invariants: no message over read_message_max is delivered; a close from the client is answered
// with a close frame; everything the server writes is the 101 response followed by well-formed,
// unmasked frames. Deterministic: no sockets, and io_context::poll() never waits for a timer.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "fuzz_common.h"
#include "proxy/client_websocket.h"
#include "proxy/request_route.h"
#include "proxy/settings.h"

using ptvsd::fuzz::require;

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

// A request that route_request() takes for a WebSocket; the secret check is the request target's.
ptvsd::proxy::Request upgrade_request() {
  ptvsd::proxy::Request request(http::verb::get, "/ptvsd", 11);
  request.set(http::field::host, "site.example");
  request.set(http::field::upgrade, "websocket");
  request.set(http::field::connection, "Upgrade");
  request.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  request.set(http::field::sec_websocket_version, "13");
  return request;
}

struct Frame {
  unsigned opcode = 0;
  std::string_view payload;
};

// The server's frames after its 101 response; aborts on anything malformed. A frame cut off at the
// end is allowed: the stream may end in the middle of a write only if the connection failed.
std::vector<Frame> server_frames(std::string_view written) {
  const auto end = written.find("\r\n\r\n");
  require(end != std::string_view::npos, "no complete handshake response");
  require(written.substr(0, 12) == "HTTP/1.1 101", "the upgrade was not accepted");
  std::vector<Frame> frames;
  auto rest = written.substr(end + 4);
  while (!rest.empty()) {
    require(rest.size() >= 2, "a frame header cut short");
    const auto first = static_cast<unsigned char>(rest[0]);
    const auto second = static_cast<unsigned char>(rest[1]);
    require((first & 0x70) == 0, "a frame with reserved bits set");
    require((second & 0x80) == 0, "a masked frame from the server");
    std::uint64_t length = second & 0x7f;
    std::size_t header = 2;
    if (length >= 126) {
      const std::size_t bytes = length == 126 ? 2 : 8;
      require(rest.size() >= 2 + bytes, "an extended length cut short");
      length = 0;
      for (std::size_t i = 0; i < bytes; ++i) length = (length << 8) | static_cast<unsigned char>(rest[2 + i]);
      header += bytes;
    }
    require(rest.size() - header >= length, "a frame payload cut short");
    frames.push_back({first & 0x0fu, rest.substr(header, static_cast<std::size_t>(length))});
    rest.remove_prefix(header + static_cast<std::size_t>(length));
  }
  return frames;
}

void bridge(boost::asio::io_context& io, const std::uint8_t* data, std::size_t size) {
  static const ptvsd::proxy::Settings settings;  // the proxy's defaults
  static const auto request = upgrade_request();

  beast::test::stream client_end(io);
  websocket::stream<beast::test::stream> server(io);
  beast::get_lowest_layer(server).connect(client_end);
  // What the client sends, then end of stream, so every read finishes.
  beast::get_lowest_layer(server).append(beast::string_view(reinterpret_cast<const char*>(data), size));
  beast::get_lowest_layer(server).close_remote();

  ptvsd::proxy::configure_client_websocket(server, settings);
  beast::flat_buffer message(ptvsd::proxy::client_read_buffer_size(settings));
  beast::error_code accepted = beast::error::timeout;
  server.async_accept(request, [&](beast::error_code error) { accepted = error; });
  io.poll();
  require(!accepted, "the upgrade was not accepted");

  // Session's read loop: a message is taken whole, then the buffer is emptied for the next.
  beast::error_code error;
  bool finished = false;
  std::size_t messages = 0;
  std::function<void()> read = [&] {
    server.async_read(message, [&](beast::error_code e, std::size_t bytes) {
      if (e) {
        error = e;
        finished = true;
        return;
      }
      require(bytes == message.size(), "a message size that is not the buffer's");
      require(message.size() <= settings.max_message_bytes, "a message over read_message_max delivered");
      ++messages;
      message.consume(message.size());
      read();
    });
  };
  read();
  io.restart();
  io.poll();
  require(finished, "the reads did not end at end of stream");
  require(messages <= size, "more messages than bytes");

  const std::string written(client_end.str());
  const auto frames = server_frames(written);
  if (error == websocket::error::closed) {
    require(!frames.empty() && frames.back().opcode == 0x8, "a close from the client was not answered");
  }
  if (error == websocket::error::message_too_big) {
    require(!frames.empty() && frames.back().opcode == 0x8 && frames.back().payload.size() >= 2 &&
                static_cast<unsigned char>(frames.back().payload[0]) == 0x03 &&
                static_cast<unsigned char>(frames.back().payload[1]) == 0xf1,
            "an oversize message not refused with close code 1009");
  }
  for (const auto& frame : frames) {
    require(frame.opcode == 0x8 || frame.opcode == 0x9 || frame.opcode == 0xa,
            "the server sent a data frame while only reading");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One io_context for all inputs: making one costs more system calls than a whole input. The
  // stream's idle timer, cancelled when the stream goes, is drained before the next input.
  static boost::asio::io_context io;
  io.restart();
  bridge(io, data, size);
  io.restart();
  io.poll();
  return 0;
}
