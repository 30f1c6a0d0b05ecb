#include "cli/command.h"

namespace runnel::cli {

void add_global_options(CLI::App& app, GlobalOptions& options) {
  app.option_defaults()->always_capture_default();
  app.add_option("--data-dir", options.data_dir, "Directory for durable state")
      ->envname("RUNNEL_DATA_DIR");
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn, error or off")
      ->envname("RUNNEL_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
}

}  // namespace runnel::cli
