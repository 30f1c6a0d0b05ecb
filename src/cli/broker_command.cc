// `runnel broker`: the Kafka-compatible broker on its own.
#include <spdlog/spdlog.h>

#include <future>
#include <memory>
#include <thread>

#include "broker/embedded_broker.h"
#include "cli/command.h"
#include "common/endpoint.h"
#include "common/shutdown_signal.h"

namespace runnel::cli {
namespace {

struct BrokerFlags {
  std::string listen = "127.0.0.1:9092";
  broker::BrokerConfig config;
};

Status run_broker(const GlobalOptions& global, BrokerFlags flags) {
  auto listen = parse_endpoint(flags.listen);
  if (!listen) return invalid_argument("--listen: " + listen.status().message());
  if (flags.config.default_partitions < 1) {
    return invalid_argument("--default-partitions must be at least 1");
  }
  flags.config.listen = *listen;
  flags.config.data_dir = std::filesystem::path(global.data_dir) / "broker";
  // Before the broker's threads start, so that only the waiter below sees
  // SIGINT and SIGTERM.
  block_shutdown_signals();
  auto broker = broker::EmbeddedBroker::start(flags.config);
  if (!broker.is_ok()) return broker.status();
  std::promise<void> signalled;
  std::thread waiter = wait_for_shutdown_signal([&signalled] { signalled.set_value(); });
  spdlog::info("broker: serving Kafka on {} with data in {}", (*broker)->bootstrap_servers(),
               flags.config.data_dir.string());
  signalled.get_future().wait();
  waiter.join();
  spdlog::info("broker: shutting down");
  return (*broker)->stop();
}

}  // namespace
void add_broker_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  auto flags = std::make_shared<BrokerFlags>();
  broker::BrokerConfig& config = flags->config;
  auto* command = app.add_subcommand(
      "broker", "Run the Kafka-compatible broker (a durable, partitioned log on --data-dir)");
  command->add_option("--listen", flags->listen, "host:port for the Kafka protocol")
      ->envname("RUNNEL_BROKER_LISTEN")
      ->capture_default_str();
  command->add_flag("!--no-auto-create-topics", config.auto_create_topics,
                    "Do not create topics on first produce or metadata request");
  command
      ->add_option("--default-partitions", config.default_partitions,
                   "Partitions of an auto-created topic (num.partitions)")
      ->capture_default_str();
  command
      ->add_option("--segment-bytes", config.segment_bytes,
                   "Default segment.bytes of a topic (log.segment.bytes)")
      ->check(CLI::Range(int64_t{14}, int64_t{1} << 40))
      ->capture_default_str();
  command
      ->add_option("--retention-ms", config.retention_ms,
                   "Default retention.ms of a topic, -1 for none (log.retention.ms)")
      ->capture_default_str();
  command
      ->add_option("--retention-bytes", config.retention_bytes,
                   "Default retention.bytes of a topic, -1 for none (log.retention.bytes)")
      ->capture_default_str();
  command
      ->add_option("--retention-check-interval-ms", config.retention_check_interval_ms,
                   "How often retention is enforced (log.retention.check.interval.ms)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40))
      ->capture_default_str();
  command
      ->add_option("--message-max-bytes", config.message_max_bytes,
                   "Largest record batch accepted (message.max.bytes)")
      ->check(CLI::Range(1024, 1 << 30))
      ->capture_default_str();
  command
      ->add_option("--max-request-bytes", config.max_request_bytes,
                   "Largest request frame accepted (socket.request.max.bytes)")
      ->check(CLI::Range(1024, 1 << 30))
      ->capture_default_str();
  command
      ->add_option("--max-connections", config.max_connections,
                   "Open connections accepted (max.connections)")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  command
      ->add_option("--group-initial-rebalance-delay-ms", config.group_initial_rebalance_delay_ms,
                   "Wait for more members before a new group's first rebalance")
      ->capture_default_str();
  command
      ->add_option("--group-min-session-timeout-ms", config.group_min_session_timeout_ms,
                   "Smallest session timeout a consumer may ask for")
      ->capture_default_str();
  command->callback([flags, &global, &action] {
    action = [flags, &global] { return run_broker(global, *flags); };
  });
}

}  // namespace runnel::cli
