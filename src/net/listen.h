// The listening side that ptvsd-proxy and the `attach` tunnel share: opening the socket, the accept
// loop, and how an address reads in their messages.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

namespace ptvsd::net {

// "127.0.0.1:5678": an address and port as the programs' messages and logs show them.
std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint);

// A listening socket that hands each accepted connection on until it is stopped.
class AcceptLoop {
 public:
  using Admit = std::function<void(boost::asio::ip::tcp::socket)>;
  using Note = std::function<void(const std::string&)>;

  explicit AcceptLoop(boost::asio::io_context& io);

  // Opens, binds and listens; the error says which step failed, for the caller's message.
  boost::system::error_code listen(const boost::asio::ip::tcp::endpoint& endpoint);
  // The bound address (the real port when port 0 was asked for).
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Passes each connection to `admit` until stop(). A failed accept (out of file handles and the
  // like) is passed to `note` as one line and tried again after retry_pause. The callbacks run on
  // the io_context's thread.
  void start(Admit admit, Note note);
  // Closes the socket and cancels a pending retry; connections already admitted are the caller's.
  void stop();

  // Long enough not to spin on an error that persists, short enough that a debugger's next
  // attempt finds the port answering again.
  static constexpr std::chrono::milliseconds retry_pause{200};

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  Admit admit_;
  Note note_;
};

}  // namespace ptvsd::net
