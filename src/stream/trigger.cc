#include "stream/trigger.h"

#include <string>

namespace runnel::stream {

std::string_view trigger_name(Trigger trigger) {
  switch (trigger) {
    case Trigger::kContinuous:
      return "continuous";
    case Trigger::kUntilCaughtUp:
      return "until-caught-up";
  }
  return "unknown";
}

Result<Trigger> parse_trigger(std::string_view text) {
  if (text == "continuous") return Trigger::kContinuous;
  if (text == "until-caught-up" || text == "available-now") return Trigger::kUntilCaughtUp;
  return invalid_argument("unknown trigger '" + std::string(text) +
                          "' (expected continuous or until-caught-up)");
}

}  // namespace runnel::stream
