// When a streaming query stops, as Spark's triggers: a continuous query runs
// until it is stopped; an until-caught-up query (Spark's availableNow) reads
// every partition up to its end offset as of the moment the partition was
// assigned, then stops.
#pragma once

#include <string_view>

#include "common/status.h"

namespace runnel::stream {

enum class Trigger {
  kContinuous,
  kUntilCaughtUp,
};

std::string_view trigger_name(Trigger trigger);  // "continuous", "until-caught-up"

// Reads trigger_name()'s words; "available-now" is Spark's name for
// until-caught-up.
Result<Trigger> parse_trigger(std::string_view text);

}  // namespace runnel::stream
