// The broker: topics with their partition logs, the group coordinator, the
// producer-id allocator and the group-commit flusher, shared by every
// connection. All of it lives on one io_context thread (the network
// thread); only the flusher has a thread of its own.
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "broker/broker_config.h"
#include "common/status.h"

namespace runnel::broker {

class TopicRegistry;
class GroupCoordinator;
class LogFlusher;
class ProducerIds;
class PartitionLog;

class Broker {
 public:
  Broker(boost::asio::any_io_executor executor, BrokerConfig config);
  ~Broker();

  // Loads topics, committed offsets and producer ids from the data directory,
  // recovering each partition log.
  Status open();
  // Makes every partition durable, for a clean shutdown.
  Status close();

  const BrokerConfig& config() const { return config_; }
  // This broker's cluster id, made once and kept in <data_dir>/meta.properties.
  const std::string& cluster_id() const { return cluster_id_; }
  boost::asio::any_io_executor executor() const { return executor_; }
  TopicRegistry& topics() { return *topics_; }
  GroupCoordinator& groups() { return *groups_; }
  LogFlusher& flusher() { return *flusher_; }
  ProducerIds& producer_ids() { return *producer_ids_; }

  // Fetch long-polling: a fetch waits until something is appended to any
  // partition or the deadline passes, then looks again.
  boost::asio::awaitable<void> wait_for_append(std::chrono::steady_clock::time_point deadline);
  void notify_appended();

  // acks=all: resumes once every log is durable up to its offset (exclusive),
  // with the first error if a sync failed. All the waits share the flusher's
  // next round, so a request touching many partitions costs one round.
  struct DurableWait {
    std::shared_ptr<PartitionLog> log;
    int64_t offset;
  };
  boost::asio::awaitable<Status> wait_durable(std::vector<DurableWait> waits);

 private:
  boost::asio::any_io_executor executor_;
  BrokerConfig config_;
  std::string cluster_id_;
  std::unique_ptr<LogFlusher> flusher_;
  std::unique_ptr<TopicRegistry> topics_;
  std::unique_ptr<GroupCoordinator> groups_;
  std::unique_ptr<ProducerIds> producer_ids_;
  // Shared with the waiting fetches, whose coroutine frames may be destroyed
  // after the broker at shutdown.
  std::shared_ptr<std::set<boost::asio::steady_timer*>> append_waiters_ =
      std::make_shared<std::set<boost::asio::steady_timer*>>();
};

}  // namespace runnel::broker
