// What went wrong on the way to the site, said as an Error with the likely fix. Pure: the
// connection code hands in what it saw (a status, a reason) and gets the message back.
#pragma once

#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "tunnel/endpoint.h"

namespace ptvsd::tunnel {

// The site answered the WebSocket upgrade with `status` instead of 101. `body` is the start of
// what it said, shown (printable characters only) after the advice.
Error refused_upgrade(const Endpoint& endpoint, unsigned status, std::string_view body);

// The certificate failed verification; `reason` is OpenSSL's, `hostname_mismatch` when the
// certificate is valid but names other hosts.
Error untrusted_certificate(const Endpoint& endpoint, bool hostname_mismatch, std::string_view reason);

// Failures retrying cannot fix end the tunnel: the secret is wrong, or the certificate is not one
// to trust. Anything else (the site is starting, a rate limit, a network glitch) ends only that
// connection, and the debugger may attach again.
bool ends_the_tunnel(const Error& error);

// Keeps what a server said short and printable, so it cannot garble a terminal.
std::string printable_excerpt(std::string_view text, std::size_t limit = 200);

}  // namespace ptvsd::tunnel
