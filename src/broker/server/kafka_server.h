// The Kafka protocol server: accepts connections on the broker's listen
// address and serves each with a Connection. Everything runs on the
// io_context it is given, on one thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "common/endpoint.h"
#include "common/status.h"

namespace runnel::broker {

class Broker;

class KafkaServer {
 public:
  explicit KafkaServer(boost::asio::io_context& io);
  ~KafkaServer();

  // Binds and listens; returns the bound address, with the real port when
  // the one asked for was 0. The broker is built after this, so that it can
  // advertise that address in Metadata and FindCoordinator.
  Result<Endpoint> bind(const Endpoint& listen);
  // Accepts connections for `broker` once the io_context runs, and checks
  // retention periodically. REQUIRES: bind() succeeded; `broker` outlives
  // the server.
  void serve(Broker& broker);

  // Stops accepting and closes every connection; call on the io thread.
  void stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace runnel::broker
