// What an HTTP request on the proxy's port asks for, decided from its header alone (pure, so the
// handshake's parsing rules are tested and fuzzed without sockets). Only /ptvsd exists; a query
// string is ignored, since no switch may ride on the URL.
#pragma once

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>

namespace ptvsd::proxy {

using Request = boost::beast::http::request<boost::beast::http::empty_body>;

enum class Route {
  info_page,           // GET or HEAD /ptvsd without an upgrade: the HTML page
  not_found,           // any other path
  method_not_allowed,  // /ptvsd with another method
  bad_upgrade,         // asks for a WebSocket but not in the form RFC 6455 requires
  websocket,           // a well-formed WebSocket upgrade on /ptvsd: check the secret next
};

Route route_request(const Request& request);

// "/ptvsd" or "/ptvsd/", in any letter case (IIS paths are case-insensitive), query ignored.
bool is_endpoint_path(boost::beast::string_view target);

}  // namespace ptvsd::proxy
