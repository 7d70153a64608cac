#include "proxy/connection.h"

#include <algorithm>
#include <chrono>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <sodium.h>

#include "core/diagnostics.h"
#include "net/http.h"
#include "net/listen.h"
#include "proxy/client_address.h"
#include "proxy/request_route.h"
#include "proxy/session.h"

namespace ptvsd::proxy {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

std::string address_of(const tcp::socket& socket) {
  beast::error_code error;
  const auto endpoint = socket.remote_endpoint(error);
  return error ? std::string("(unknown)") : endpoint.address().to_string();
}

// What a second debugger is told to wait (README: `Retry-After: 5`): the first stays attached for
// as long as someone debugs, so there is no better guess, only a pace for retries.
constexpr std::chrono::seconds busy_retry_after{5};

}  // namespace

Connection::Connection(tcp::socket socket, Context& context)
    : context_(context), stream_(std::move(socket)), buffer_(request_buffer_size) {
  peer_ = address_of(stream_.socket());
  limit_request_parser(parser_);
}

Connection::~Connection() {
  // The raw request held the client's credential, the secret itself when it was right.
  buffer_.clear();
  const auto whole = buffer_.prepare(buffer_.capacity());
  sodium_memzero(whole.data(), whole.size());
}

void Connection::start(HandshakeTicket ticket) {
  ticket_.emplace(std::move(ticket));
  // One deadline for the whole request, not per read: a client dribbling a byte at a time gets no
  // more time than one sending it at once.
  deadline_ = std::chrono::steady_clock::now() + context_.settings.handshake_timeout;
  stream_.expires_after(std::min<std::chrono::steady_clock::duration>(context_.settings.first_byte_timeout,
                                                                      context_.settings.handshake_timeout));
  stream_.async_read_some(
      buffer_.prepare(request_buffer_size),
      [self = shared_from_this()](beast::error_code error, std::size_t size) { self->on_first_bytes(error, size); });
}

void Connection::drop() {
  beast::error_code ignored;
  stream_.socket().close(ignored);
}

void Connection::on_first_bytes(beast::error_code error, std::size_t size) {
  if (error) return;  // silent, dropped or gone: nothing to answer, the socket closes with this object
  buffer_.commit(size);
  ticket_->mark_talking();
  stream_.expires_at(deadline_);
  http::async_read(stream_, buffer_, parser_, [self = shared_from_this()](beast::error_code read_error, std::size_t) {
    self->on_request(read_error);
  });
}

void Connection::on_request(beast::error_code error) {
  if (error == http::error::header_limit || error == http::error::buffer_overflow) {
    answer(refusal_response(Refusal::header_too_large, net::http_1_1));
    return;
  }
  if (error == beast::error::timeout || error == http::error::end_of_stream ||
      error == boost::asio::error::connection_reset || error == boost::asio::error::eof ||
      error == boost::asio::error::operation_aborted) {
    return;  // gone or too slow: nothing to answer, the socket closes with this object
  }
  if (error) {
    answer(refusal_response(Refusal::bad_request, net::http_1_1));
    return;
  }
  const auto& request = parser_.get();
  switch (route_request(request)) {
    case Route::info_page: answer(info_page_response(request, PTVSD_VERSION, PTVSD_README_URL)); return;
    case Route::not_found: answer(refusal_response(Refusal::not_found, request.version())); return;
    case Route::method_not_allowed: answer(refusal_response(Refusal::method_not_allowed, request.version())); return;
    case Route::bad_upgrade: answer(refusal_response(Refusal::bad_request, request.version())); return;
    case Route::websocket: on_websocket_request(); return;
  }
}

void Connection::on_websocket_request() {
  const auto& request = parser_.get();
  client_ = client_address(peer_, joined_field(request, "X-Forwarded-For"), context_.settings.trust_forwarded_for);
  const auto now = RateLimiter::Clock::now();
  if (!context_.secret_check.authorizes(to_std(request[http::field::authorization]))) {
    const bool waiting = context_.rate_limiter.wait_time(client_, now) > RateLimiter::Duration::zero();
    const auto failure = context_.rate_limiter.record_failure(client_, now);
    // The attempted value is never logged: a near miss or a mistyped secret is still sensitive.
    std::string message = client_ + ": WebSocket upgrade refused: wrong or missing secret (failure " +
                          std::to_string(failure.consecutive) + " in a row";
    if (failure.delay > RateLimiter::Duration::zero()) {
      message +=
          "; wrong secrets get 429 for " + seconds_text(std::chrono::ceil<std::chrono::seconds>(failure.delay)) + "s";
    }
    log_line(message + ")");
    answer(waiting ? refusal_response(Refusal::too_many_attempts, request.version(), failure.delay)
                   : refusal_response(Refusal::unauthorized, request.version()));
    return;
  }
  context_.rate_limiter.record_success(client_);
  if (context_.sessions >= context_.settings.max_sessions) {
    log_line(client_ + ": WebSocket upgrade refused: " + std::to_string(context_.settings.max_sessions) +
             " debugger session(s) open already (--max-sessions)");
    answer(refusal_response(Refusal::busy, request.version(), busy_retry_after));
    return;
  }
  session_.emplace(context_.sessions);
  debugger_.emplace(stream_.get_executor());
  debugger_->expires_after(context_.settings.connect_timeout);
  debugger_->async_connect(context_.settings.debugger, [self = shared_from_this()](beast::error_code connect_error) {
    self->on_debugger_connected(connect_error);
  });
}

void Connection::on_debugger_connected(beast::error_code error) {
  const auto& request = parser_.get();
  if (error) {
    log_line(client_ + ": the debug server at " + net::endpoint_text(context_.settings.debugger) +
             " did not accept a connection: " + error.message());
    session_.reset();
    answer(refusal_response(Refusal::debugger_unreachable, request.version()));
    return;
  }
  debugger_->expires_never();
  stream_.expires_never();
  const auto id = context_.next_session_id++;
  std::make_shared<Session>(std::move(stream_), std::move(*debugger_), context_, std::move(*session_), client_, id)
      ->start(parser_.release(), buffer_.data());
}

void Connection::answer(Response response) {
  response_ = std::move(response);
  stream_.expires_after(context_.settings.handshake_timeout);
  http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, std::size_t) {
    beast::error_code ignored;
    self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  });
}

}  // namespace ptvsd::proxy
