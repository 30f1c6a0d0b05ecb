// The group coordinator of a single-node broker: every consumer group runs
// the classic rebalance protocol here, and every group's committed offsets
// are kept here (Kafka's GroupCoordinator with its GroupMetadataManager).
//
// A rebalance: members send JoinGroup; the coordinator holds those requests
// until every known member has rejoined or the rebalance timeout passes
// (members that did not rejoin are dropped), then answers them all with the
// new generation, the chosen protocol and the leader; the leader alone gets
// the member list. The leader's SyncGroup carries every member's
// assignment, which the coordinator hands to each member's SyncGroup.
// Heartbeats keep members alive and tell them when to rejoin.
//
// Lives on the broker's single io_context thread: no call may come from
// another thread. join() and sync() suspend the calling coroutine, never the
// thread.
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "broker/group/classic_group.h"
#include "broker/group/group_config.h"
#include "broker/group/offset_store.h"
#include "broker/protocol/error_code.h"
#include "broker/protocol/messages/describe_groups.h"
#include "broker/protocol/messages/heartbeat.h"
#include "broker/protocol/messages/join_group.h"
#include "broker/protocol/messages/leave_group.h"
#include "broker/protocol/messages/list_groups.h"
#include "broker/protocol/messages/offset_commit.h"
#include "broker/protocol/messages/offset_fetch.h"
#include "broker/protocol/messages/sync_group.h"
#include "common/status.h"

namespace runnel::broker {

// Who sends a JoinGroup, besides what the request says.
struct JoiningClient {
  std::string client_id;
  std::string client_host;
  // JoinGroup v4+: a member without an id is first given one and told
  // MEMBER_ID_REQUIRED, then joins with it.
  bool require_known_member_id = true;
};

class GroupCoordinator {
 public:
  GroupCoordinator(boost::asio::any_io_executor executor, GroupConfig config,
                   std::filesystem::path data_dir);
  // Answers any JoinGroup or SyncGroup still waiting with COORDINATOR_NOT_AVAILABLE.
  ~GroupCoordinator();
  GroupCoordinator(const GroupCoordinator&) = delete;
  GroupCoordinator& operator=(const GroupCoordinator&) = delete;

  // Loads the committed offsets; their groups appear as Empty.
  Status open();

  const GroupConfig& config() const { return config_; }

  // A rebalance_timeout_ms <= 0 (JoinGroup v0) means the session timeout.
  boost::asio::awaitable<JoinGroupResponse> join(JoinGroupRequest request, JoiningClient client);
  boost::asio::awaitable<SyncGroupResponse> sync(SyncGroupRequest request);
  ErrorCode heartbeat(const HeartbeatRequest& request);
  // In the v3+ shape: a top-level error and one per member.
  LeaveGroupResponse leave(const std::string& group_id,
                           const std::vector<LeaveGroupRequest::Member>& members);

  // Every group, or those in one of `states` (names as Kafka spells them).
  std::vector<ListGroupsResponse::Group> list_groups(const std::vector<std::string>& states) const;
  DescribeGroupsResponse::Group describe_group(const std::string& group_id) const;

  // Generation -1 with an empty member id commits for a group that does not
  // use the coordinator's membership ("simple" consumers, v0 requests).
  boost::asio::awaitable<OffsetCommitResponse> commit_offsets(OffsetCommitRequest request);
  // Null topics: every partition the group has committed. A partition without
  // a commit has offset -1.
  OffsetFetchResponse fetch_offsets(const OffsetFetchRequest& request) const;

 private:
  using JoinReply = std::shared_ptr<PendingReply<JoinGroupResponse>>;

  ClassicGroup* find_group(const std::string& group_id);
  const ClassicGroup* find_group(const std::string& group_id) const;
  ClassicGroup& create_group(const std::string& group_id);
  std::string new_member_id(const std::string& client_id);

  JoinReply add_member_and_rebalance(ClassicGroup& group, const std::string& member_id,
                                     const JoinGroupRequest& request, const JoiningClient& client);
  JoinReply update_member_and_rebalance(ClassicGroup& group, GroupMember& member,
                                        const JoinGroupRequest& request);
  void add_pending_member(ClassicGroup& group, const std::string& member_id,
                          int32_t session_timeout_ms);
  JoinGroupResponse joined_response(const ClassicGroup& group, const GroupMember& member) const;

  // Starts a rebalance if the group can start one; in PreparingRebalance,
  // completes it if everyone is in.
  void rebalance(ClassicGroup& group);
  void prepare_rebalance(ClassicGroup& group);
  void try_complete_join(ClassicGroup& group);
  void complete_join(ClassicGroup& group);
  void arm_join_timer(ClassicGroup& group, int32_t delay_ms);
  void on_join_deadline(const std::string& group_id, uint64_t join_round);

  void propagate_assignments(ClassicGroup& group,
                             const std::vector<SyncGroupRequest::Assignment>& assignments);

  void arm_session_timer(ClassicGroup& group, GroupMember& member);
  void on_session_deadline(const std::string& group_id, const std::string& member_id);
  // Drops the member, answering its waiting requests with UNKNOWN_MEMBER_ID.
  void remove_member(ClassicGroup& group, const std::string& member_id);
  // Drops the member and rebalances the rest.
  void remove_member_and_update(ClassicGroup& group, const std::string& member_id);

  ErrorCode validate_commit(const OffsetCommitRequest& request);

  boost::asio::any_io_executor executor_;
  GroupConfig config_;
  OffsetStore offsets_;
  std::map<std::string, ClassicGroup> groups_;
  std::mt19937_64 random_;
};

}  // namespace runnel::broker
