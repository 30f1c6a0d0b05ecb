// One consumer group of the classic rebalance protocol: its members, state,
// generation and chosen protocol (Kafka's GroupMetadata). Plain data with the
// rules that only read it; GroupCoordinator drives the transitions.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker/group/group_state.h"
#include "broker/group/pending_reply.h"
#include "broker/protocol/messages/join_group.h"
#include "broker/protocol/messages/sync_group.h"

namespace runnel::broker {

struct GroupMember {
  GroupMember(boost::asio::any_io_executor executor, std::string id)
      : member_id(std::move(id)), session_timer(std::move(executor)) {}

  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string client_id;
  std::string client_host;
  int32_t session_timeout_ms = 0;
  int32_t rebalance_timeout_ms = 0;
  std::vector<JoinGroupRequest::Protocol> protocols;  // in the member's order of preference
  std::string assignment;                             // from the leader's last SyncGroup

  // Set while the member's JoinGroup waits for the rebalance to gather the
  // group, and while its SyncGroup waits for the leader's.
  std::shared_ptr<PendingReply<JoinGroupResponse>> join_reply;
  std::shared_ptr<PendingReply<SyncGroupResponse>> sync_reply;

  // The member is evicted when the deadline passes without a heartbeat,
  // unless it is waiting in a JoinGroup or SyncGroup.
  std::chrono::steady_clock::time_point session_deadline;
  boost::asio::steady_timer session_timer;

  // The member's metadata for `protocol`, or nullptr if it does not support it.
  const Bytes* metadata_for(const std::string& protocol) const;
  // Whether `protocols` are the ones the member joined with, metadata included.
  bool has_protocols(const std::vector<JoinGroupRequest::Protocol>& protocols) const;
};

struct ClassicGroup {
  ClassicGroup(boost::asio::any_io_executor executor, std::string id)
      : group_id(std::move(id)), join_timer(std::move(executor)) {}

  std::string group_id;
  GroupState state = GroupState::kEmpty;
  int32_t generation_id = 0;
  std::string protocol_type;
  std::optional<std::string> protocol_name;  // set from CompletingRebalance on
  std::string leader_id;                     // empty when there are no members
  std::map<std::string, GroupMember> members;
  // Members given an id with MEMBER_ID_REQUIRED who have not joined with it
  // yet; each expires after its session timeout.
  std::map<std::string, boost::asio::steady_timer> pending_members;

  // The rebalance's deadline (PreparingRebalance only). `join_round` counts
  // rebalances, so a timer firing for an earlier one is recognised as stale.
  boost::asio::steady_timer join_timer;
  uint64_t join_round = 0;
  // group.initial.rebalance.delay.ms: a new group waits this long for more
  // members, again while new ones keep coming, up to the rebalance timeout.
  bool in_initial_delay = false;
  bool new_member_added = false;
  int32_t initial_delay_remaining_ms = 0;

  bool has_member(const std::string& member_id) const { return members.contains(member_id); }
  bool is_leader(const std::string& member_id) const { return leader_id == member_id; }

  // Kafka's rule: an empty group takes any non-empty protocol list; otherwise
  // the type must match and one of the protocols must be supported by every
  // current member.
  bool supports(const std::string& type,
                const std::vector<JoinGroupRequest::Protocol>& protocols) const;
  // The protocol every member supports that most members prefer.
  // REQUIRES: members is not empty and they share a protocol.
  std::string select_protocol() const;
  // Every member has rejoined and no member id handed out is still to come.
  bool all_members_joined() const;
  // The longest rebalance timeout among the members.
  int32_t rebalance_timeout_ms() const;
  // The members with their metadata for the chosen protocol, for the leader's
  // JoinGroup response.
  std::vector<JoinGroupResponse::Member> member_list() const;
};

}  // namespace runnel::broker
