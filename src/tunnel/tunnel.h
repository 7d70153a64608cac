// The tunnel: a local port that debuggers attach to by plain TCP, each connection carried to the
// site's /ptvsd WebSocket (tunnel/connection.h). It runs until Ctrl-C (or SIGTERM), or until a
// failure that no retry can fix (tunnel/failure.h); other failures end one connection, are
// reported, and the tunnel goes on listening for the debugger's next attempt.
#pragma once

#include <functional>

#include <boost/asio/ip/tcp.hpp>

#include "tunnel/connection.h"

namespace ptvsd::tunnel {

// Listens on `listen` (port 0: the system picks one) and calls `ready` with the bound address once
// debuggers can connect. Returns after Ctrl-C with every connection closed; throws the Error that
// ended the tunnel otherwise, Error(tunnel_listen) when the port cannot be opened.
void run_tunnel(Shared& shared, const boost::asio::ip::tcp::endpoint& listen,
                const std::function<void(const boost::asio::ip::tcp::endpoint&)>& ready);

}  // namespace ptvsd::tunnel
