#include "broker/group/group_state.h"

#include <algorithm>
#include <cctype>

namespace runnel::broker {

namespace {

constexpr GroupState kAllStates[] = {GroupState::kEmpty, GroupState::kPreparingRebalance,
                                     GroupState::kCompletingRebalance, GroupState::kStable,
                                     GroupState::kDead};

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::string_view group_state_name(GroupState state) {
  switch (state) {
    case GroupState::kEmpty:
      return "Empty";
    case GroupState::kPreparingRebalance:
      return "PreparingRebalance";
    case GroupState::kCompletingRebalance:
      return "CompletingRebalance";
    case GroupState::kStable:
      return "Stable";
    case GroupState::kDead:
      return "Dead";
  }
  return "Dead";
}

std::optional<GroupState> parse_group_state(std::string_view name) {
  for (GroupState state : kAllStates) {
    if (equal_ignoring_case(group_state_name(state), name)) return state;
  }
  return std::nullopt;
}

}  // namespace runnel::broker
