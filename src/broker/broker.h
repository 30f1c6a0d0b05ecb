// The broker: topics with their partition logs, the group coordinator, the
// producer-id allocator and the group-commit flusher, shared by every
// connection. All of it lives on one io_context thread (the network
// thread); only the flusher has a thread of its own.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "broker/broker_config.h"
#include "common/status.h"

namespace runnel::broker {

class TopicRegistry;
class GroupCoordinator;
class LogFlusher;
class ProducerIds;

class Broker {
 public:
  Broker(boost::asio::any_io_executor executor, BrokerConfig config);
  ~Broker();

  // Loads topics, committed offsets and producer ids from the data directory,
  // recovering each partition log.
  Status open();

  const BrokerConfig& config() const { return config_; }
  boost::asio::any_io_executor executor() const { return executor_; }
  TopicRegistry& topics() { return *topics_; }
  GroupCoordinator& groups() { return *groups_; }
  LogFlusher& flusher() { return *flusher_; }
  ProducerIds& producer_ids() { return *producer_ids_; }

 private:
  boost::asio::any_io_executor executor_;
  BrokerConfig config_;
  std::unique_ptr<LogFlusher> flusher_;
  std::unique_ptr<TopicRegistry> topics_;
  std::unique_ptr<GroupCoordinator> groups_;
  std::unique_ptr<ProducerIds> producer_ids_;
};

}  // namespace runnel::broker
