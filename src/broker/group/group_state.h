// The states of a classic consumer group, as Kafka names them.
//
//   Empty --join--> PreparingRebalance --all joined / timeout--> CompletingRebalance
//   CompletingRebalance --leader's SyncGroup--> Stable
//   Stable / CompletingRebalance --join, leave, expiry--> PreparingRebalance
//   PreparingRebalance --no member left--> Empty
// Dead is a group that no longer exists; DescribeGroups reports unknown
// groups as Dead.
#pragma once

#include <optional>
#include <string_view>

namespace runnel::broker {

enum class GroupState { kEmpty, kPreparingRebalance, kCompletingRebalance, kStable, kDead };

// "Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead".
std::string_view group_state_name(GroupState state);

// The state named `name`, ignoring case; nullopt for no state.
std::optional<GroupState> parse_group_state(std::string_view name);

}  // namespace runnel::broker
