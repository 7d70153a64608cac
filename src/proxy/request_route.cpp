#include "proxy/request_route.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "core/ascii.h"

namespace ptvsd::proxy {

namespace http = boost::beast::http;
using boost::beast::string_view;

void limit_request_parser(RequestParser& parser) {
  parser.header_limit(request_header_limit);
  parser.body_limit(0);
}

namespace {

bool asks_for_websocket(const Request& request) {
  const auto upgrade = request[http::field::upgrade];
  // "Upgrade: websocket" may be one of several protocols in the list.
  for (auto rest = upgrade; !rest.empty();) {
    const auto comma = rest.find(',');
    if (equal_ignoring_ascii_case(trim_spaces_and_tabs(to_std(rest.substr(0, comma))), "websocket")) return true;
    if (comma == string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return false;
}

}  // namespace

std::string joined_field(const Request& request, std::string_view name) {
  std::string joined;
  const auto lines = request.equal_range(string_view(name.data(), name.size()));
  for (auto line = lines.first; line != lines.second; ++line) {
    if (!joined.empty()) joined += ',';
    joined += to_std(line->value());
  }
  return joined;
}

bool is_endpoint_path(string_view target) {
  const auto query = target.find('?');
  const auto candidate = to_std(query == string_view::npos ? target : target.substr(0, query));
  return equal_ignoring_ascii_case(candidate, "/ptvsd") || equal_ignoring_ascii_case(candidate, "/ptvsd/");
}

Route route_request(const Request& request) {
  if (!is_endpoint_path(request.target())) return Route::not_found;
  if (asks_for_websocket(request)) {
    const auto key = request[http::field::sec_websocket_key];
    // The key is 16 random bytes in base64; Beast checks the rest of RFC 6455 once we accept.
    const bool well_formed = boost::beast::websocket::is_upgrade(request) && key.size() == 24 &&
                             request[http::field::sec_websocket_version] == "13" &&
                             request.count(http::field::authorization) <= 1;
    return well_formed ? Route::websocket : Route::bad_upgrade;
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    return Route::method_not_allowed;
  }
  return Route::info_page;
}

}  // namespace ptvsd::proxy
