// How the proxy sets up the WebSocket a debugger connects with: one function for Session and for
// the frame fuzz target, so the target fuzzes Beast exactly as the proxy configures it. A template
// over the layer below, because the proxy runs it on a TCP stream and the target on Beast's
// in-memory test stream. The `attach` tunnel is the other end of that WebSocket, and sets it up
// with the same limits and framing (configure_bridge_websocket).
#pragma once

#include <cstddef>

#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "proxy/settings.h"

namespace ptvsd::proxy {

// The buffer a client's messages are read into: a whole message of the largest size accepted,
// and room for the frame headers around it.
inline std::size_t client_read_buffer_size(const Settings& settings) { return settings.max_message_bytes + 4096; }

// One TCP read (from debugpy in the proxy, from the debugger in the tunnel) becomes one WebSocket
// message; DAP messages are mostly far smaller, and a larger one simply spans several messages
// (the other end reassembles the stream). 256 KiB rather than 64: a quarter of the reads and
// writes in bulk (debugger -> client 794 -> 1068 MiB/s measured in the same rounds,
// bench/proxy_bench.py), still under the 1 MiB message limit clients commonly default to.
inline constexpr std::size_t bridge_chunk_bytes = 256 * 1024;

// What both ends of the bridge set on the WebSocket: the timeouts, with pings so that a silent
// peer is noticed and proxies in between keep the line open; the message size limit; binary
// messages, each in one frame.
template <class NextLayer>
void configure_bridge_websocket(boost::beast::websocket::stream<NextLayer>& stream, const Settings& settings) {
  namespace websocket = boost::beast::websocket;
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = settings.handshake_timeout;
  timeouts.idle_timeout = settings.idle_timeout;
  timeouts.keep_alive_pings = true;
  stream.set_option(timeouts);
  stream.read_message_max(settings.max_message_bytes);
  stream.binary(true);
  // Beast would split every message into 4 KiB frames (write_buffer_bytes), each its own write: a
  // 64 KiB read from the debugger went out as 16. One frame per message: 630 -> 998 MiB/s measured
  // from the debugger to the client.
  stream.auto_fragment(false);
}

template <class NextLayer>
void configure_client_websocket(boost::beast::websocket::stream<NextLayer>& client, const Settings& settings) {
  namespace websocket = boost::beast::websocket;
  configure_bridge_websocket(client, settings);
  client.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& response) { response.set(boost::beast::http::field::server, "ptvsd-proxy"); }));
}

}  // namespace ptvsd::proxy
