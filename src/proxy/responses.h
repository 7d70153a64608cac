// Every HTTP answer the proxy gives before a WebSocket is bridged. Refusals say what class of
// thing went wrong and nothing more: a 401 never tells a wrong secret from a missing or malformed
// one. Each answer closes the connection, so no state survives between attempts.
#pragma once

#include <chrono>
#include <string_view>

#include <boost/beast/http/string_body.hpp>

#include "proxy/request_route.h"

namespace ptvsd::proxy {

using Response = boost::beast::http::response<boost::beast::http::string_body>;

enum class Refusal {
  bad_request,           // 400: malformed request or upgrade
  unauthorized,          // 401: the secret was wrong, missing or malformed
  not_found,             // 404: not /ptvsd
  method_not_allowed,    // 405
  too_many_attempts,     // 429: this address failed too often; Retry-After says when to retry
  header_too_large,      // 431
  debugger_unreachable,  // 502: the secret was right but the debug server did not answer
  busy,                  // 503: another debugger is attached (the session limit is reached)
};

// `http_version` is the request's (10 or 11). `retry_after` is rounded up to whole seconds.
Response refusal_response(Refusal refusal, unsigned http_version, std::chrono::steady_clock::duration retry_after = {});

// 200 with the info page (info_page_html: `readme_url`); a HEAD request gets the headers alone.
Response info_page_response(const Request& request, std::string_view version, std::string_view readme_url);

}  // namespace ptvsd::proxy
