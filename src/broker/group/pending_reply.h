// A reply that one coroutine waits for and another part of the broker fills
// in later: how a JoinGroup or SyncGroup request stays suspended until its
// rebalance step completes, while the io_context keeps serving others.
//
// Shared by the waiting coroutine and the group member it belongs to. Single
// threaded: complete() and wait() run on the same executor.
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

namespace runnel::broker {

template <typename T>
class PendingReply {
 public:
  explicit PendingReply(boost::asio::any_io_executor executor)
      : wakeup_(std::move(executor), boost::asio::steady_timer::time_point::max()) {}

  bool done() const { return value_.has_value(); }

  // The first completion wins; later ones are ignored.
  void complete(T value) {
    if (value_) return;
    value_ = std::move(value);
    wakeup_.cancel();
  }

  // Suspends until complete() has been called (returns at once if it has).
  boost::asio::awaitable<T> wait() {
    while (!value_) {
      boost::system::error_code ignored;
      co_await wakeup_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    }
    co_return std::move(*value_);
  }

 private:
  std::optional<T> value_;
  // Never expires; cancel() is the wake-up.
  boost::asio::steady_timer wakeup_;
};

}  // namespace runnel::broker
