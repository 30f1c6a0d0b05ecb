// The broker inside another command's process (`runnel up`, `runnel demo`):
// a Broker and its KafkaServer on a thread of their own.
#pragma once

#include <memory>

#include "broker/broker_config.h"
#include "common/endpoint.h"
#include "common/status.h"

namespace runnel::broker {

class EmbeddedBroker {
 public:
  // Binds `config.listen` (port 0: any free port), opens the data directory
  // (recovering the logs) and starts serving on a new thread.
  static Result<std::unique_ptr<EmbeddedBroker>> start(BrokerConfig config);
  ~EmbeddedBroker();  // stop()s

  // Where clients reach it: the bound address.
  const Endpoint& endpoint() const;
  std::string bootstrap_servers() const { return endpoint().to_string(); }

  // Closes every connection, joins the thread and syncs every partition.
  // Idempotent; returns the sync's result the first time.
  Status stop();

 private:
  struct State;
  explicit EmbeddedBroker(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace runnel::broker
