#include "proxy/responses.h"

#include <string>

#include "proxy/info_page.h"

namespace ptvsd::proxy {

namespace http = boost::beast::http;

namespace {

void add_common_headers(Response& response) {
  response.set(http::field::server, "ptvsd-proxy");
  response.set(http::field::cache_control, "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.keep_alive(false);
}

http::status status_of(Refusal refusal) {
  switch (refusal) {
    case Refusal::bad_request: return http::status::bad_request;
    case Refusal::unauthorized: return http::status::unauthorized;
    case Refusal::not_found: return http::status::not_found;
    case Refusal::method_not_allowed: return http::status::method_not_allowed;
    case Refusal::too_many_attempts: return http::status::too_many_requests;
    case Refusal::header_too_large: return http::status::request_header_fields_too_large;
    case Refusal::debugger_unreachable: return http::status::bad_gateway;
    case Refusal::busy: return http::status::service_unavailable;
  }
  return http::status::internal_server_error;
}

}  // namespace

Response refusal_response(Refusal refusal, unsigned http_version, std::chrono::steady_clock::duration retry_after) {
  const auto status = status_of(refusal);
  Response response(status, http_version);
  add_common_headers(response);
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.body() =
      std::to_string(static_cast<unsigned>(status)) + " " + std::string(http::obsolete_reason(status)) + "\n";
  switch (refusal) {
    case Refusal::unauthorized:
      response.set(http::field::www_authenticate, "Basic realm=\"ptvsd\", charset=\"UTF-8\"");
      break;
    case Refusal::method_not_allowed: response.set(http::field::allow, "GET, HEAD"); break;
    case Refusal::debugger_unreachable:
      // The published example answered every attach with a bare 502: say what the app must do.
      response.body() +=
          "The app's debug server (debugpy) did not answer: the app starts it with "
          "ptvsd_site.listen(), and its log says why a process does not listen.\n";
      break;
    case Refusal::busy:
      // Only an authorized client gets here, so saying that someone is debugging leaks nothing.
      response.body() +=
          "Another debugger is attached to this site, and debugpy serves one at a time: "
          "detach it, then attach again.\n";
      [[fallthrough]];
    case Refusal::too_many_attempts: {
      const auto seconds = std::chrono::ceil<std::chrono::seconds>(retry_after).count();
      response.set(http::field::retry_after, std::to_string(seconds > 0 ? seconds : 1));
      break;
    }
    default: break;
  }
  response.prepare_payload();
  return response;
}

Response info_page_response(const Request& request, std::string_view version, std::string_view readme_url) {
  Response response(http::status::ok, request.version());
  add_common_headers(response);
  response.set(http::field::content_type, "text/html; charset=utf-8");
  // Inline style only: no script, no outside resource, no framing by other sites.
  response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  response.set("X-Frame-Options", "DENY");
  response.body() = info_page_html(version, readme_url);
  response.prepare_payload();
  if (request.method() == http::verb::head) {
    const auto length = response.body().size();
    response.body().clear();
    response.content_length(length);
  }
  return response;
}

}  // namespace ptvsd::proxy
