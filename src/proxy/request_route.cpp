#include "proxy/request_route.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace ptvsd::proxy {

namespace http = boost::beast::http;
using boost::beast::iequals;
using boost::beast::string_view;

namespace {

bool asks_for_websocket(const Request& request) {
  const auto upgrade = request[http::field::upgrade];
  // "Upgrade: websocket" may be one of several protocols in the list.
  for (auto rest = upgrade; !rest.empty();) {
    const auto comma = rest.find(',');
    auto item = rest.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (iequals(item, "websocket")) return true;
    if (comma == string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return false;
}

}  // namespace

bool is_endpoint_path(string_view target) {
  const auto query = target.find('?');
  const auto path = query == string_view::npos ? target : target.substr(0, query);
  return iequals(path, "/ptvsd") || iequals(path, "/ptvsd/");
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
