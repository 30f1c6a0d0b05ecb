// A GroupCoordinator on a real io_context, with coroutines standing in for
// group members. Timeouts are tens of milliseconds; every test body is
// bounded by kTestDeadline.
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
// clang-format off
#include <utility>
// clang-format on

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "broker/group/group_coordinator.h"

// ASSERT_EQ for coroutine bodies (gtest's ASSERT_* use `return`).
#define CO_ASSERT_EQ(a, b)        \
  do {                            \
    EXPECT_EQ(a, b);              \
    if (!((a) == (b))) co_return; \
  } while (0)

namespace runnel::broker::testing {

using boost::asio::awaitable;
using namespace std::chrono_literals;

inline constexpr auto kTestDeadline = std::chrono::milliseconds(1500);

inline awaitable<void> sleep_for(std::chrono::milliseconds duration) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, duration);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

// Waits (polling each millisecond) until `ready` holds; fails the test if it
// does not within `limit`.
inline awaitable<void> until(std::function<bool()> ready,
                             std::chrono::milliseconds limit = 1000ms) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!ready()) {
    if (std::chrono::steady_clock::now() > give_up) {
      ADD_FAILURE() << "condition not reached in " << limit.count() << " ms";
      co_return;
    }
    co_await sleep_for(1ms);
  }
}

class CoordinatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("runnel-groups-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    config_.min_session_timeout_ms = 10;
    config_.max_session_timeout_ms = 10000;
    reopen();
  }

  void TearDown() override {
    coordinator_.reset();
    io_.restart();
    io_.poll();
    std::filesystem::remove_all(dir_);
  }

  // A new coordinator on the same data directory.
  void reopen() {
    coordinator_.reset();
    coordinator_ = std::make_unique<GroupCoordinator>(io_.get_executor(), config_, dir_);
    Status opened = coordinator_->open();
    ASSERT_TRUE(opened.is_ok()) << opened.to_string();
  }

  // Runs `body` on the io_context until it finishes (bounded).
  void run(std::function<awaitable<void>()> body) {
    bool done = false;
    std::exception_ptr failure;
    io_.restart();  // a previous run() may have left the io_context out of work, hence stopped
    boost::asio::co_spawn(io_, std::move(body), [&](std::exception_ptr e) {
      failure = e;
      done = true;
    });
    const auto give_up = std::chrono::steady_clock::now() + kTestDeadline;
    while (!done && std::chrono::steady_clock::now() < give_up) io_.run_one_for(5ms);
    ASSERT_TRUE(done) << "test body did not finish in time";
    if (failure) std::rethrow_exception(failure);
  }

  // Starts `operation` concurrently; the result appears when it completes.
  template <typename T>
  std::shared_ptr<std::optional<T>> start(awaitable<T> operation) {
    auto result = std::make_shared<std::optional<T>>();
    boost::asio::co_spawn(io_, std::move(operation), [result](std::exception_ptr e, T value) {
      if (e) std::rethrow_exception(e);
      *result = std::move(value);
    });
    return result;
  }

  // `protocols` names the member's protocols in its order of preference,
  // comma-separated; each has metadata "meta". (GCC 12 cannot compile braced
  // lists of literals inside co_await expressions, hence strings.)
  static JoinGroupRequest join_request(const std::string& group, const std::string& member_id,
                                       const std::string& protocols = "range",
                                       int32_t session_timeout_ms = 1000,
                                       int32_t rebalance_timeout_ms = 300) {
    JoinGroupRequest request;
    request.group_id = group;
    request.member_id = member_id;
    request.session_timeout_ms = session_timeout_ms;
    request.rebalance_timeout_ms = rebalance_timeout_ms;
    request.protocol_type = "consumer";
    size_t start = 0;
    while (start < protocols.size()) {
      size_t comma = std::min(protocols.find(',', start), protocols.size());
      request.protocols.push_back({protocols.substr(start, comma - start), Bytes{"meta"}});
      start = comma + 1;
    }
    return request;
  }

  awaitable<JoinGroupResponse> join(JoinGroupRequest request,
                                    bool require_known_member_id = false) {
    return coordinator_->join(std::move(request),
                              {"client", "/127.0.0.1", require_known_member_id});
  }

  awaitable<SyncGroupResponse> sync(const std::string& group, int32_t generation,
                                    const std::string& member_id,
                                    std::vector<SyncGroupRequest::Assignment> assignments = {}) {
    SyncGroupRequest request;
    request.group_id = group;
    request.generation_id = generation;
    request.member_id = member_id;
    request.assignments = std::move(assignments);
    return coordinator_->sync(std::move(request));
  }

  ErrorCode heartbeat(const std::string& group, int32_t generation, const std::string& member_id) {
    HeartbeatRequest request;
    request.group_id = group;
    request.generation_id = generation;
    request.member_id = member_id;
    return coordinator_->heartbeat(request);
  }

  std::string state_of(const std::string& group) const {
    return coordinator_->describe_group(group).group_state;
  }

  boost::asio::io_context io_;
  std::filesystem::path dir_;
  GroupConfig config_;
  std::unique_ptr<GroupCoordinator> coordinator_;
};

}  // namespace runnel::broker::testing
