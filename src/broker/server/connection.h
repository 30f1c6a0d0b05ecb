// One client connection: reads size-prefixed request frames, serves them
// and writes the responses back in request order. Requests are read ahead
// (up to kMaxInFlight) so that a producer's pipelined requests wait on one
// group-commit sync together, not one after another.
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <string>

namespace runnel::broker {

class Broker;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  static constexpr size_t kMaxInFlight = 16;

  Connection(boost::asio::ip::tcp::socket socket, Broker& broker);

  // Serves until the peer closes, sends something malformed, or close().
  boost::asio::awaitable<void> run();
  void close();

 private:
  // A request in flight; its response is written when it and every request
  // before it are done.
  struct Exchange {
    std::string request;
    std::string response;  // the whole frame, size prefix included
    bool done = false;
    bool respond = true;
  };

  boost::asio::awaitable<void> read_requests();
  boost::asio::awaitable<void> write_responses();
  boost::asio::awaitable<void> serve(std::shared_ptr<Exchange> exchange);
  void wake_writer() { writer_wake_.cancel(); }

  boost::asio::ip::tcp::socket socket_;
  Broker& broker_;
  std::string peer_;
  std::deque<std::shared_ptr<Exchange>> exchanges_;
  boost::asio::steady_timer writer_wake_;
  boost::asio::steady_timer reader_wake_;
  bool closed_ = false;
};

}  // namespace runnel::broker
