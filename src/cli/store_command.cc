// `runnel store`: the embedded Cassandra on its own, serving CQL.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <future>
#include <memory>
#include <thread>

#include "cli/command.h"
#include "common/endpoint.h"
#include "common/shutdown_signal.h"
#include "store/embedded_store.h"

namespace runnel::cli {
namespace {

struct StoreFlags {
  std::string listen = "127.0.0.1:9042";
  std::string cql_user;
  std::string cql_password;
  std::size_t cache_mb = store::kDefaultCacheBytes >> 20;
  store::server::CqlServerConfig server;
};

Status run_store(const GlobalOptions& global, StoreFlags flags) {
  auto listen = parse_endpoint(flags.listen);
  if (!listen) return invalid_argument("--listen: " + listen.status().message());
  if (flags.cql_user.empty() != flags.cql_password.empty()) {
    return invalid_argument("--cql-user and --cql-password go together");
  }
  store::EmbeddedStoreConfig config;
  config.data_dir = global.data_dir;
  config.cache_bytes = flags.cache_mb << 20;
  config.server = flags.server;
  config.server.listen = *listen;
  if (!flags.cql_user.empty()) {
    config.server.credentials = store::server::Credentials{flags.cql_user, flags.cql_password};
  }
  // Before the store's threads start, so that only the waiter below sees
  // SIGINT and SIGTERM.
  block_shutdown_signals();
  auto store = store::EmbeddedStore::start(config);
  if (!store.is_ok()) return store.status();
  std::promise<void> signalled;
  std::thread waiter = wait_for_shutdown_signal([&signalled] { signalled.set_value(); });
  spdlog::info("store: serving CQL on {} with data in {}{}", (*store)->endpoint().to_string(),
               (std::filesystem::path(global.data_dir) / "store").string(),
               config.server.credentials ? " (PasswordAuthenticator)" : "");
  signalled.get_future().wait();
  waiter.join();
  spdlog::info("store: shutting down");
  return (*store)->stop();
}

}  // namespace

void add_store_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  auto flags = std::make_shared<StoreFlags>();
  store::server::CqlServerConfig& server = flags->server;
  auto* command = app.add_subcommand(
      "store", "Run the embedded Cassandra: CQL native protocol v3/v4 over RocksDB on --data-dir");
  command->add_option("--listen", flags->listen, "host:port for the CQL native protocol")
      ->envname("RUNNEL_STORE_LISTEN")
      ->capture_default_str();
  command
      ->add_option("--cql-user", flags->cql_user,
                   "Require PasswordAuthenticator with this user (with --cql-password)")
      ->envname("RUNNEL_CQL_USER");
  command->add_option("--cql-password", flags->cql_password, "The --cql-user's password")
      ->envname("RUNNEL_CQL_PASSWORD");
  command
      ->add_option("--max-frame-bytes", server.max_frame_bytes,
                   "Largest request frame body accepted (native_transport_max_frame_size)")
      ->check(CLI::Range(std::uint32_t{4096}, std::uint32_t{1} << 30))
      ->capture_default_str();
  command->add_option("--max-connections", server.max_connections, "Open connections accepted")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  command
      ->add_option("--cache-mb", flags->cache_mb,
                   "Most memory for blocks of rows read (Cassandra's file_cache_size)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 20))
      ->capture_default_str();
  command
      ->add_option("--worker-threads", server.worker_threads,
                   "Threads that run statements (they wait on write-ahead log syncs)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command->callback([flags, &global, &action] {
    action = [flags, &global] { return run_store(global, *flags); };
  });
}

}  // namespace runnel::cli
