// The `runnel` command. Exit codes: 0 success, 1 runtime failure, 2 usage
// error; errors are one line on stderr.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/command.h"
#include "common/logging.h"

int main(int argc, char** argv) {
  using namespace runnel;
  CLI::App app{
      "runnel: an end-to-end data streaming pipeline in one binary (random users -> Kafka "
      "protocol broker -> streaming engine -> stores)",
      "runnel"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand name

  cli::GlobalOptions global;
  cli::add_global_options(app, global);
  cli::CommandAction action;
  cli::add_topics_command(app, global, action);
  cli::add_produce_command(app, global, action);
  cli::add_consume_command(app, global, action);
  cli::add_datagen_command(app, global, action);
  cli::add_broker_command(app, global, action);
  cli::add_store_command(app, global, action);
  cli::add_ingest_command(app, global, action);
  cli::add_pipeline_commands(app, global, action);
  cli::add_cql_command(app, global, action);
  app.add_subcommand("version", "Print the version")->callback([&] {
    action = [] {
      std::printf("runnel %s\n", RUNNEL_VERSION);
      return Status::ok();
    };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "runnel: %s (see --help)\n", e.what());
    return 2;
  }

  if (auto status = init_logging(global.log_level); !status.is_ok()) {
    std::fprintf(stderr, "runnel: %s\n", status.message().c_str());
    return 2;
  }
  try {
    const Status status = action ? action() : Status::ok();
    if (status.is_ok()) return 0;
    std::fprintf(stderr, "runnel: %s\n", status.message().c_str());
    return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "runnel: %s\n", e.what());
    return 1;
  }
}
