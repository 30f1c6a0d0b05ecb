// Process-wide logging on stderr through spdlog. Call init_logging() once at
// start; before that spdlog's default logger is used as it is.
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

#include "common/status.h"

namespace runnel {

// Levels as spelled on the command line: trace, debug, info, warn, error, off.
Status init_logging(std::string_view level);

}  // namespace runnel
