#include "broker/broker.h"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "broker/durable_file.h"
#include "broker/group/group_coordinator.h"
#include "broker/log/log_flusher.h"
#include "broker/producer_ids.h"
#include "broker/topic_registry.h"

namespace runnel::broker {

namespace asio = boost::asio;

namespace {

GroupConfig group_config(const BrokerConfig& config) {
  GroupConfig group;
  group.node_id = config.node_id;
  group.host = config.listen.host;
  group.port = config.listen.port;
  group.min_session_timeout_ms = config.group_min_session_timeout_ms;
  group.max_session_timeout_ms = config.group_max_session_timeout_ms;
  group.initial_rebalance_delay_ms = config.group_initial_rebalance_delay_ms;
  return group;
}

// Kafka's cluster ids are 16 random bytes in URL-safe base64 without
// padding: 22 characters.
std::string random_cluster_id() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::random_device device;
  std::string id;
  uint32_t bits = 0;
  for (int i = 0; i < 22; ++i) {
    if (i % 5 == 0) bits = device();
    id.push_back(kAlphabet[bits & 63]);
    bits >>= 6;
  }
  return id;
}

Result<std::string> load_or_create_cluster_id(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("cluster.id=") && line.size() > 11) return line.substr(11);
  }
  std::string id = random_cluster_id();
  if (Status written = write_file_atomically(file, "cluster.id=" + id + "\n"); !written.is_ok()) {
    return written;
  }
  return id;
}

}  // namespace

Broker::Broker(asio::any_io_executor executor, BrokerConfig config)
    : executor_(std::move(executor)),
      config_(std::move(config)),
      flusher_(std::make_unique<LogFlusher>()),
      topics_(std::make_unique<TopicRegistry>(config_.data_dir, config_)),
      groups_(
          std::make_unique<GroupCoordinator>(executor_, group_config(config_), config_.data_dir)),
      producer_ids_(std::make_unique<ProducerIds>(config_.data_dir)) {}

Broker::~Broker() = default;

Status Broker::open() {
  std::error_code error;
  std::filesystem::create_directories(config_.data_dir, error);
  if (error) {
    return internal_error("cannot create data directory " + config_.data_dir.string() + ": " +
                          error.message());
  }
  auto cluster_id = load_or_create_cluster_id(config_.data_dir / "meta.properties");
  if (!cluster_id.is_ok()) return cluster_id.status();
  cluster_id_ = *cluster_id;
  if (Status s = topics_->open(); !s.is_ok()) return s;
  if (Status s = groups_->open(); !s.is_ok()) return s;
  return producer_ids_->open();
}

Status Broker::close() {
  Status result;
  for (Topic* topic : topics_->all()) {
    for (auto& log : topic->partitions) {
      if (auto flushed = log->flush(); !flushed.is_ok() && result.is_ok())
        result = flushed.status();
    }
  }
  return result;
}

asio::awaitable<Status> Broker::wait_durable(std::vector<DurableWait> waits) {
  // The flusher calls back on its own thread; each callback hops to the
  // network thread, where the count lives.
  struct Round {
    explicit Round(asio::any_io_executor executor) : done(std::move(executor)) {}
    size_t pending = 0;
    Status error;
    asio::steady_timer done;
  };
  auto round = std::make_shared<Round>(executor_);
  round->pending = waits.size();
  round->done.expires_at(asio::steady_timer::time_point::max());
  for (DurableWait& wait : waits) {
    flusher_->wait_durable(std::move(wait.log), wait.offset, [round](Status status) {
      asio::post(round->done.get_executor(), [round, status = std::move(status)]() mutable {
        if (!status.is_ok() && round->error.is_ok()) round->error = std::move(status);
        if (--round->pending == 0) round->done.cancel();
      });
    });
  }
  while (round->pending > 0) {
    boost::system::error_code cancelled;
    co_await round->done.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
  }
  co_return round->error;
}

asio::awaitable<void> Broker::wait_for_append(std::chrono::steady_clock::time_point deadline) {
  asio::steady_timer timer(executor_, deadline);
  // Unregisters the timer however the coroutine ends, also when its frame
  // is destroyed at shutdown without being resumed.
  struct Registration {
    std::shared_ptr<std::set<asio::steady_timer*>> waiters;
    asio::steady_timer* timer;
    ~Registration() { waiters->erase(timer); }
  } registration{append_waiters_, &timer};
  append_waiters_->insert(&timer);
  boost::system::error_code cancelled;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
}

void Broker::notify_appended() {
  for (asio::steady_timer* timer : *append_waiters_) timer->cancel();
}

}  // namespace runnel::broker
