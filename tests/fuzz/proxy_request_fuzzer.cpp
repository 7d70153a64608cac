// The proxy's handshake on untrusted bytes: the request header read exactly as Connection reads it
// (limit_request_parser, request_buffer_size), then
// everything Connection decides from a parsed request without a socket: route_request, the
// X-Forwarded-For client address (trusted and not), the rate limiter keyed by that address, the
// secret check on the Authorization header, and the response it would send. parse_host_port is not
// here: it reads only command-line options, never request data.
//
// Invariants, each computed from the request itself and not from the code under test:
//   - a WebSocket route only for /ptvsd (any case, query ignored) with a well-formed RFC 6455
//     upgrade and at most one Authorization header; the info page only for GET or HEAD there;
//   - the secret check accepts a header only when the credential it carries is the secret to the
//     byte, and a Bearer header carrying the secret is always accepted;
//   - the client address is the peer, or (only when X-Forwarded-For is trusted) a short run of
//     address characters taken from that header;
//   - every response closes the connection and answers in the request's HTTP version.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "core/secret.h"
#include "fuzz_common.h"
#include "proxy/auth.h"
#include "proxy/client_address.h"
#include "proxy/rate_limit.h"
#include "proxy/request_route.h"
#include "proxy/responses.h"

using ptvsd::fuzz::require;

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using namespace ptvsd::proxy;

constexpr std::string_view secret_text = "mMkx_Jdi2NhlkL3qkcHOGtGkqKnntAd3kvW4BRuqFQQ";
constexpr std::string_view peer = "192.0.2.7";

std::string lower(std::string_view text) {
  std::string result(text);
  for (auto& c : result) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return result;
}

bool endpoint_path(std::string_view target) {
  const auto path = lower(target.substr(0, target.find('?')));
  return path == "/ptvsd" || path == "/ptvsd/";
}

const SecretCheck& secret_check() {
  static const auto secret = ptvsd::Secret::from_text(secret_text);
  static const SecretCheck check(secret);
  return check;
}

void check_route(const Request& request) {
  const auto route = route_request(request);
  const bool endpoint = endpoint_path(to_std(request.target()));
  require(endpoint == is_endpoint_path(request.target()), "is_endpoint_path disagrees with the path");
  require((route == Route::not_found) == !endpoint, "not_found is not exactly the other paths");
  if (route == Route::websocket) {
    require(beast::websocket::is_upgrade(request), "a WebSocket route without an upgrade");
    require(request[http::field::sec_websocket_key].size() == 24, "a WebSocket route without a 24-byte key");
    require(request[http::field::sec_websocket_version] == "13", "a WebSocket route without version 13");
    require(request.count(http::field::authorization) <= 1, "a WebSocket route with two credentials");
  }
  if (route == Route::info_page) {
    require(request.method() == http::verb::get || request.method() == http::verb::head,
            "the info page for a method other than GET or HEAD");
  }
  if (route == Route::method_not_allowed) {
    require(request.method() != http::verb::get && request.method() != http::verb::head,
            "GET or HEAD refused as a method");
  }
}

void check_secret(std::string_view header) {
  const auto& check = secret_check();
  const auto credential = credential_from_authorization(header);
  const bool exact = credential.has_value() && credential->str() == secret_text;
  require(check.authorizes(header) == exact, "the secret check disagrees with the credential");
  if (credential) {
    require(check.matches(credential->str()) == (credential->str() == secret_text),
            "matches() accepts something other than the exact secret");
  }
  // What a script sends: "Bearer", white space, the secret, with white space around it all.
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  auto rest = header;
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  while (!rest.empty() && is_space(rest.back())) rest.remove_suffix(1);
  if (rest.size() > 6 && lower(rest.substr(0, 6)) == "bearer" && is_space(rest[6])) {
    rest.remove_prefix(6);
    while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
    if (rest == secret_text) require(check.authorizes(header), "Bearer <secret> refused");
  }
}

void check_client_address(const Request& request) {
  const auto forwarded = joined_field(request, "X-Forwarded-For");
  require(client_address(peer, forwarded, false) == peer, "X-Forwarded-For used while not trusted");
  const auto client = client_address(peer, forwarded, true);
  if (client != peer) {
    require(!client.empty() && client.size() <= 64, "an empty or long client address");
    require(std::all_of(client.begin(), client.end(),
                        [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':'; }),
            "a client address with other characters than an address has");
    require(forwarded.find(client) != std::string_view::npos, "a client address not from the header");
  }
  // The limiter as Connection drives it for a wrong secret: one fresh per input, so each input
  // is checked on its own.
  RateLimiter limiter;
  const auto now = RateLimiter::Clock::time_point{};
  require(limiter.wait_time(client, now) == RateLimiter::Duration::zero(), "a fresh limiter makes a client wait");
  const auto failure = limiter.record_failure(client, now);
  require(failure.consecutive == 1 && limiter.tracked_addresses() == 1, "one failure not counted once");
  limiter.record_success(client);
  require(limiter.tracked_addresses() == 0, "a success does not forget the address");
}

void check_response(const Response& response, const Request& request) {
  require(response.version() == request.version(), "a response in another HTTP version");
  require(response[http::field::connection] == "close" || !response.keep_alive(), "a response keeps the connection");
}

void decide(const Request& request) {
  check_route(request);
  check_client_address(request);
  check_secret(to_std(request[http::field::authorization]));
  switch (route_request(request)) {
    case Route::info_page: {
      const auto response = info_page_response(request, "fuzz", "");
      check_response(response, request);
      if (request.method() == http::verb::head) require(response.body().empty(), "a HEAD answer with a body");
      break;
    }
    case Route::not_found: check_response(refusal_response(Refusal::not_found, request.version()), request); break;
    case Route::method_not_allowed:
      check_response(refusal_response(Refusal::method_not_allowed, request.version()), request);
      break;
    case Route::bad_upgrade:
    case Route::websocket:
      check_response(refusal_response(Refusal::bad_request, request.version()), request);
      check_response(refusal_response(Refusal::unauthorized, request.version()), request);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The bytes arrive on an in-memory stream that then reports end of stream, and are read with
  // http::async_read as Connection::start reads them; poll() runs the handlers without waiting.
  // One io_context for all inputs: making one costs more system calls than a whole input.
  static boost::asio::io_context io;
  io.restart();
  beast::test::stream stream(io);
  stream.append(beast::string_view(reinterpret_cast<const char*>(data), size));
  stream.close_remote();
  beast::flat_buffer buffer(request_buffer_size);
  RequestParser parser;
  limit_request_parser(parser);
  beast::error_code error = beast::error::timeout;
  bool done = false;
  http::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) {
    error = e;
    done = true;
  });
  io.poll();
  require(done, "the read did not finish on a closed stream");
  if (error) return 0;  // Connection answers 431, 400, or nothing: no decision on the request
  require(parser.is_done(), "a request read without error but not complete");
  decide(parser.get());
  return 0;
}
