// How subcommands plug into the `runnel` command line: each add_*_command
// function registers a CLI11 subcommand whose callback chooses the action to
// run. main() runs the chosen action after parsing, so usage errors (exit 2)
// and runtime failures (exit 1) stay apart.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "common/status.h"

namespace runnel::cli {

using CommandAction = std::function<Status()>;

// Options every subcommand accepts, before or after its name; each also
// reads a RUNNEL_* environment variable.
struct GlobalOptions {
  std::string data_dir = "./runnel-data";  // --data-dir, RUNNEL_DATA_DIR
  std::string log_level = "info";          // --log-level, RUNNEL_LOG_LEVEL
};

void add_global_options(CLI::App& app, GlobalOptions& options);

// `runnel datagen`, `runnel datagen serve`, `runnel datagen fetch`.
void add_datagen_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);

// `runnel broker`.
void add_broker_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);

}  // namespace runnel::cli
