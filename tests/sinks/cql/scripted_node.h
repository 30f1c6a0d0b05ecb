// The real CQL server (store/server) over a ScriptedStore, for the CQL
// client and Cassandra sink tests.
#pragma once

// Boost 1.74's asio headers use std::exchange without including <utility>.
// clang-format off
#include <utility>
// clang-format on

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <optional>
#include <thread>

#include "scripted_store.h"
#include "store/server/cql_server.h"

namespace runnel::sinks {

// The real CQL server over a ScriptedStore, on an io thread of its own; it
// can be stopped and started again on the same port.
class ScriptedNode {
 public:
  explicit ScriptedNode(std::optional<store::server::Credentials> credentials = {})
      : credentials_(std::move(credentials)) {}
  ~ScriptedNode() { stop(); }

  void start(std::uint16_t port = 0) {
    store::server::CqlServerConfig config;
    config.listen = Endpoint{"127.0.0.1", port};
    config.credentials = credentials_;
    io_.emplace(1);
    server_.emplace(*io_, config);
    auto bound = server_->bind();
    ASSERT_TRUE(bound.is_ok()) << bound.status().to_string();
    port_ = bound->port;
    server_->serve(store);
    thread_ = std::thread([this] { io_->run(); });
  }

  void stop() {
    if (!thread_.joinable()) return;
    std::promise<void> stopped;
    boost::asio::post(*io_, [&] {
      server_->stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    server_->drain();
    io_->stop();
    thread_.join();
    server_.reset();
    io_.reset();
  }

  Endpoint endpoint() const { return {"127.0.0.1", port_}; }

  ScriptedStore store;

 private:
  std::optional<store::server::Credentials> credentials_;
  std::optional<boost::asio::io_context> io_;
  std::optional<store::server::CqlServer> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

}  // namespace runnel::sinks
