#include "proxy/request_route.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace ptvsd::proxy {

namespace http = boost::beast::http;
using boost::beast::string_view;

namespace {

// Not boost::beast::iequals: in Boost 1.74, once a letter differs only in case, it reads one byte
// past the end of both strings (fuzz_proxy_request found it on "GET /ptvSd"; heap-buffer-overflow
// under ASan). The request target is the client's and sits in its own allocation.
bool iequals(string_view a, string_view b) {
  if (a.size() != b.size()) return false;
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

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
