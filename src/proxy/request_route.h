// What an HTTP request on the proxy's port asks for, decided from its header alone (pure, so the
// handshake's parsing rules are tested and fuzzed without sockets). Only /ptvsd exists; a query
// string is ignored, since no switch may ride on the URL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>

namespace ptvsd::proxy {

using Request = boost::beast::http::request<boost::beast::http::empty_body>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::empty_body>;

// How every request is read (Connection, and the fuzz target that must read as it does): a header
// of at most 16 KiB, generous for a browser carrying the site's cookies yet bounding memory, and
// no body (limit_request_parser), into a buffer that holds a whole header.
inline constexpr std::uint32_t request_header_limit = 16 * 1024;
inline constexpr std::size_t request_buffer_size = request_header_limit + 1024;
void limit_request_parser(RequestParser& parser);

// Beast 1.74 has Boost's string_view; the proxy's pure modules take the standard one.
inline std::string_view to_std(boost::beast::string_view text) { return {text.data(), text.size()}; }

// Every line of the header field `name`, joined with commas as RFC 9110 5.3 allows (a list field
// sent as several lines means the same as one line): X-Forwarded-For appended to by each proxy on
// the way may arrive as several lines, and the last entry is on the last one.
std::string joined_field(const Request& request, std::string_view name);

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
