// HTTP as the proxy and the tunnel speak it.
#pragma once

namespace ptvsd::net {

// HTTP/1.1 as Beast numbers versions (major * 10 + minor): the tunnel's CONNECT, and the proxy's
// answer to a request too malformed to tell its own version.
inline constexpr unsigned http_1_1 = 11;

}  // namespace ptvsd::net
