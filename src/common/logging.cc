#include "common/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <string>

namespace runnel {

Status init_logging(std::string_view level_name) {
  const auto level = spdlog::level::from_str(std::string(level_name));
  // from_str answers "off" for anything it does not know.
  if (level == spdlog::level::off && level_name != "off") {
    return invalid_argument("unknown log level '" + std::string(level_name) +
                            "' (expected trace, debug, info, warn, error or off)");
  }
  auto logger = spdlog::stderr_color_mt("runnel");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(level);
  spdlog::set_default_logger(std::move(logger));
  return Status::ok();
}

}  // namespace runnel
