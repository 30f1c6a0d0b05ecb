#include "broker/group/group_coordinator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace runnel::broker {

namespace {

// offset.metadata.max.bytes
constexpr size_t kMaxOffsetMetadataBytes = 4096;

JoinGroupResponse join_error(const std::string& member_id, ErrorCode error) {
  JoinGroupResponse response;
  response.error_code = code(error);
  response.member_id = member_id;
  return response;
}

SyncGroupResponse sync_error(ErrorCode error) {
  SyncGroupResponse response;
  response.error_code = code(error);
  return response;
}

SyncGroupResponse sync_ok(const ClassicGroup& group, const GroupMember& member) {
  SyncGroupResponse response;
  response.protocol_type = group.protocol_type;
  response.protocol_name = group.protocol_name;
  response.assignment = Bytes{member.assignment};
  return response;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

GroupCoordinator::GroupCoordinator(boost::asio::any_io_executor executor, GroupConfig config,
                                   std::filesystem::path data_dir)
    : executor_(std::move(executor)),
      config_(std::move(config)),
      offsets_(data_dir),
      random_(std::random_device{}()) {}

GroupCoordinator::~GroupCoordinator() {
  for (auto& [id, group] : groups_) {
    for (auto& [member_id, member] : group.members) {
      if (member.join_reply)
        member.join_reply->complete(join_error(member_id, ErrorCode::kCoordinatorNotAvailable));
      if (member.sync_reply)
        member.sync_reply->complete(sync_error(ErrorCode::kCoordinatorNotAvailable));
    }
  }
}

Status GroupCoordinator::open() {
  if (Status s = offsets_.open(); !s.is_ok()) return s;
  for (const auto& [group_id, offsets] : offsets_.groups()) {
    create_group(group_id).protocol_type = offsets.protocol_type;
  }
  return Status::ok();
}

ClassicGroup* GroupCoordinator::find_group(const std::string& group_id) {
  auto it = groups_.find(group_id);
  return it == groups_.end() ? nullptr : &it->second;
}

const ClassicGroup* GroupCoordinator::find_group(const std::string& group_id) const {
  auto it = groups_.find(group_id);
  return it == groups_.end() ? nullptr : &it->second;
}

ClassicGroup& GroupCoordinator::create_group(const std::string& group_id) {
  return groups_.try_emplace(group_id, executor_, group_id).first->second;
}

std::string GroupCoordinator::new_member_id(const std::string& client_id) {
  // A random (version 4) UUID in its usual spelling, as Kafka appends one.
  uint64_t high = random_();
  uint64_t low = random_();
  high = (high & ~0xf000ULL) | 0x4000ULL;
  low = (low & ~(0xc0ULL << 56)) | (0x80ULL << 56);
  char uuid[37];
  std::snprintf(uuid, sizeof(uuid), "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xffff),
                static_cast<unsigned>(high & 0xffff), static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return client_id + "-" + uuid;
}

// ---- JoinGroup ----

boost::asio::awaitable<JoinGroupResponse> GroupCoordinator::join(JoinGroupRequest request,
                                                                 JoiningClient client) {
  if (request.group_id.empty()) co_return join_error(request.member_id, ErrorCode::kInvalidGroupId);
  if (request.session_timeout_ms < config_.min_session_timeout_ms ||
      request.session_timeout_ms > config_.max_session_timeout_ms) {
    co_return join_error(request.member_id, ErrorCode::kInvalidSessionTimeout);
  }
  if (request.rebalance_timeout_ms <= 0) request.rebalance_timeout_ms = request.session_timeout_ms;

  ClassicGroup* group = find_group(request.group_id);
  JoinReply reply;
  if (request.member_id.empty()) {
    if (!group) group = &create_group(request.group_id);
    if (!group->supports(request.protocol_type, request.protocols)) {
      co_return join_error("", ErrorCode::kInconsistentGroupProtocol);
    }
    std::string member_id = new_member_id(client.client_id);
    if (client.require_known_member_id) {
      add_pending_member(*group, member_id, request.session_timeout_ms);
      co_return join_error(member_id, ErrorCode::kMemberIdRequired);
    }
    reply = add_member_and_rebalance(*group, member_id, request, client);
  } else {
    const std::string& member_id = request.member_id;
    if (!group) co_return join_error(member_id, ErrorCode::kUnknownMemberId);
    if (!group->supports(request.protocol_type, request.protocols)) {
      co_return join_error(member_id, ErrorCode::kInconsistentGroupProtocol);
    }
    if (group->pending_members.contains(member_id)) {
      reply = add_member_and_rebalance(*group, member_id, request, client);
    } else if (!group->has_member(member_id)) {
      co_return join_error(member_id, ErrorCode::kUnknownMemberId);
    } else {
      GroupMember& member = group->members.at(member_id);
      member.client_id = client.client_id;
      member.client_host = client.client_host;
      switch (group->state) {
        case GroupState::kPreparingRebalance:
          reply = update_member_and_rebalance(*group, member, request);
          break;
        case GroupState::kCompletingRebalance:
          // A rejoin with nothing changed (say, after a lost response) gets
          // the generation being completed.
          if (member.has_protocols(request.protocols)) co_return joined_response(*group, member);
          reply = update_member_and_rebalance(*group, member, request);
          break;
        case GroupState::kStable:
          // A leader's rejoin or changed metadata is a new rebalance; a
          // follower's plain rejoin is told the current generation.
          if (!group->is_leader(member_id) && member.has_protocols(request.protocols)) {
            co_return joined_response(*group, member);
          }
          reply = update_member_and_rebalance(*group, member, request);
          break;
        case GroupState::kEmpty:
        case GroupState::kDead:
          co_return join_error(member_id, ErrorCode::kUnknownMemberId);
      }
    }
  }
  co_return co_await reply->wait();
}

GroupCoordinator::JoinReply GroupCoordinator::add_member_and_rebalance(
    ClassicGroup& group, const std::string& member_id, const JoinGroupRequest& request,
    const JoiningClient& client) {
  group.pending_members.erase(member_id);
  if (group.members.empty()) group.protocol_type = request.protocol_type;
  GroupMember& member = group.members.try_emplace(member_id, executor_, member_id).first->second;
  member.group_instance_id = request.group_instance_id;
  member.client_id = client.client_id;
  member.client_host = client.client_host;
  member.session_timeout_ms = request.session_timeout_ms;
  member.rebalance_timeout_ms = request.rebalance_timeout_ms;
  member.protocols = request.protocols;
  member.join_reply = std::make_shared<PendingReply<JoinGroupResponse>>(executor_);
  JoinReply reply = member.join_reply;
  if (group.leader_id.empty()) group.leader_id = member_id;
  if (group.in_initial_delay) group.new_member_added = true;
  arm_session_timer(group, member);
  rebalance(group);
  return reply;
}

GroupCoordinator::JoinReply GroupCoordinator::update_member_and_rebalance(
    ClassicGroup& group, GroupMember& member, const JoinGroupRequest& request) {
  member.session_timeout_ms = request.session_timeout_ms;
  member.rebalance_timeout_ms = request.rebalance_timeout_ms;
  member.protocols = request.protocols;
  // A second JoinGroup from the same member replaces the first.
  if (member.join_reply)
    member.join_reply->complete(join_error(member.member_id, ErrorCode::kRebalanceInProgress));
  member.join_reply = std::make_shared<PendingReply<JoinGroupResponse>>(executor_);
  JoinReply reply = member.join_reply;
  rebalance(group);
  return reply;
}

void GroupCoordinator::add_pending_member(ClassicGroup& group, const std::string& member_id,
                                          int32_t session_timeout_ms) {
  auto& timer = group.pending_members.try_emplace(member_id, executor_).first->second;
  timer.expires_after(std::chrono::milliseconds(session_timeout_ms));
  timer.async_wait([this, group_id = group.group_id, member_id](boost::system::error_code ec) {
    if (ec) return;
    ClassicGroup* g = find_group(group_id);
    if (!g || g->pending_members.erase(member_id) == 0) return;
    if (g->state == GroupState::kPreparingRebalance) try_complete_join(*g);
  });
}

JoinGroupResponse GroupCoordinator::joined_response(const ClassicGroup& group,
                                                    const GroupMember& member) const {
  JoinGroupResponse response;
  response.generation_id = group.generation_id;
  response.protocol_type = group.protocol_type;
  response.protocol_name = group.protocol_name.value_or("");
  response.leader = group.leader_id;
  response.member_id = member.member_id;
  if (group.is_leader(member.member_id)) response.members = group.member_list();
  return response;
}

// ---- Rebalance ----

void GroupCoordinator::rebalance(ClassicGroup& group) {
  switch (group.state) {
    case GroupState::kEmpty:
    case GroupState::kStable:
    case GroupState::kCompletingRebalance:
      prepare_rebalance(group);
      break;
    case GroupState::kPreparingRebalance:
      try_complete_join(group);
      break;
    case GroupState::kDead:
      break;
  }
}

void GroupCoordinator::prepare_rebalance(ClassicGroup& group) {
  if (group.state == GroupState::kCompletingRebalance) {
    // The assignments being synced are for a generation that will not be.
    for (auto& [id, member] : group.members) {
      member.assignment.clear();
      if (member.sync_reply) {
        member.sync_reply->complete(sync_error(ErrorCode::kRebalanceInProgress));
        member.sync_reply.reset();
      }
    }
  }
  const bool new_group = group.state == GroupState::kEmpty;
  group.state = GroupState::kPreparingRebalance;
  ++group.join_round;
  if (new_group && config_.initial_rebalance_delay_ms > 0) {
    group.in_initial_delay = true;
    group.new_member_added = false;
    group.initial_delay_remaining_ms =
        std::max(group.rebalance_timeout_ms() - config_.initial_rebalance_delay_ms, 0);
    arm_join_timer(group, config_.initial_rebalance_delay_ms);
    return;
  }
  arm_join_timer(group, group.rebalance_timeout_ms());
  try_complete_join(group);
}

void GroupCoordinator::try_complete_join(ClassicGroup& group) {
  if (group.state == GroupState::kPreparingRebalance && !group.in_initial_delay &&
      group.all_members_joined()) {
    complete_join(group);
  }
}

void GroupCoordinator::arm_join_timer(ClassicGroup& group, int32_t delay_ms) {
  group.join_timer.expires_after(std::chrono::milliseconds(delay_ms));
  group.join_timer.async_wait(
      [this, group_id = group.group_id, round = group.join_round](boost::system::error_code ec) {
        if (!ec) on_join_deadline(group_id, round);
      });
}

void GroupCoordinator::on_join_deadline(const std::string& group_id, uint64_t join_round) {
  ClassicGroup* group = find_group(group_id);
  if (!group || group->join_round != join_round || group->state != GroupState::kPreparingRebalance)
    return;
  if (group->in_initial_delay && group->new_member_added && group->initial_delay_remaining_ms > 0) {
    const int32_t delay =
        std::min(config_.initial_rebalance_delay_ms, group->initial_delay_remaining_ms);
    group->initial_delay_remaining_ms -= delay;
    group->new_member_added = false;
    arm_join_timer(*group, delay);
    return;
  }
  complete_join(*group);
}

void GroupCoordinator::complete_join(ClassicGroup& group) {
  ++group.join_round;
  group.join_timer.cancel();
  group.in_initial_delay = false;

  std::vector<std::string> missing;
  for (const auto& [id, member] : group.members) {
    if (!member.join_reply) missing.push_back(id);
  }
  for (const auto& id : missing) {
    spdlog::info("group {}: member {} did not rejoin in time and is removed", group.group_id, id);
    remove_member(group, id);
  }

  ++group.generation_id;
  if (group.members.empty()) {
    group.state = GroupState::kEmpty;
    group.protocol_name.reset();
    return;
  }
  group.protocol_name = group.select_protocol();
  group.state = GroupState::kCompletingRebalance;
  spdlog::debug("group {}: generation {} with {} members, protocol {}, leader {}", group.group_id,
                group.generation_id, group.members.size(), *group.protocol_name, group.leader_id);
  for (auto& [id, member] : group.members) {
    member.join_reply->complete(joined_response(group, member));
    member.join_reply.reset();
    arm_session_timer(group, member);
  }
}

// ---- SyncGroup ----

boost::asio::awaitable<SyncGroupResponse> GroupCoordinator::sync(SyncGroupRequest request) {
  ClassicGroup* group = find_group(request.group_id);
  if (!group || !group->has_member(request.member_id))
    co_return sync_error(ErrorCode::kUnknownMemberId);
  if (request.generation_id != group->generation_id)
    co_return sync_error(ErrorCode::kIllegalGeneration);
  if ((request.protocol_type && *request.protocol_type != group->protocol_type) ||
      (request.protocol_name && request.protocol_name != group->protocol_name)) {
    co_return sync_error(ErrorCode::kInconsistentGroupProtocol);
  }
  GroupMember& member = group->members.at(request.member_id);
  switch (group->state) {
    case GroupState::kEmpty:
    case GroupState::kDead:
      co_return sync_error(ErrorCode::kUnknownMemberId);
    case GroupState::kPreparingRebalance:
      co_return sync_error(ErrorCode::kRebalanceInProgress);
    case GroupState::kStable:
      arm_session_timer(*group, member);
      co_return sync_ok(*group, member);
    case GroupState::kCompletingRebalance:
      break;
  }
  if (member.sync_reply) member.sync_reply->complete(sync_error(ErrorCode::kRebalanceInProgress));
  member.sync_reply = std::make_shared<PendingReply<SyncGroupResponse>>(executor_);
  auto reply = member.sync_reply;
  arm_session_timer(*group, member);
  if (group->is_leader(request.member_id)) propagate_assignments(*group, request.assignments);
  co_return co_await reply->wait();
}

void GroupCoordinator::propagate_assignments(
    ClassicGroup& group, const std::vector<SyncGroupRequest::Assignment>& assignments) {
  for (auto& [id, member] : group.members) {
    auto it = std::find_if(assignments.begin(), assignments.end(),
                           [&](const auto& a) { return a.member_id == id; });
    member.assignment = it == assignments.end() ? std::string() : it->assignment.value;
  }
  group.state = GroupState::kStable;
  for (auto& [id, member] : group.members) {
    if (!member.sync_reply) continue;
    member.sync_reply->complete(sync_ok(group, member));
    member.sync_reply.reset();
    arm_session_timer(group, member);
  }
}

// ---- Heartbeats and leaving ----

ErrorCode GroupCoordinator::heartbeat(const HeartbeatRequest& request) {
  ClassicGroup* group = find_group(request.group_id);
  if (!group || group->state == GroupState::kEmpty) return ErrorCode::kUnknownMemberId;
  if (group->state == GroupState::kDead) return ErrorCode::kCoordinatorNotAvailable;
  if (!group->has_member(request.member_id)) return ErrorCode::kUnknownMemberId;
  if (request.generation_id != group->generation_id) return ErrorCode::kIllegalGeneration;
  arm_session_timer(*group, group->members.at(request.member_id));
  return group->state == GroupState::kPreparingRebalance ? ErrorCode::kRebalanceInProgress
                                                         : ErrorCode::kNone;
}

void GroupCoordinator::arm_session_timer(ClassicGroup& group, GroupMember& member) {
  member.session_deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(member.session_timeout_ms);
  member.session_timer.expires_at(member.session_deadline);
  member.session_timer.async_wait([this, group_id = group.group_id,
                                   member_id = member.member_id](boost::system::error_code ec) {
    if (!ec) on_session_deadline(group_id, member_id);
  });
}

void GroupCoordinator::on_session_deadline(const std::string& group_id,
                                           const std::string& member_id) {
  ClassicGroup* group = find_group(group_id);
  if (!group || !group->has_member(member_id)) return;
  GroupMember& member = group->members.at(member_id);
  // A heartbeat may have moved the deadline after this wait had fired.
  if (std::chrono::steady_clock::now() < member.session_deadline) return;
  if (member.join_reply || member.sync_reply) {
    arm_session_timer(*group, member);
    return;
  }
  spdlog::info("group {}: member {} missed its session timeout and is removed", group_id,
               member_id);
  remove_member_and_update(*group, member_id);
}

void GroupCoordinator::remove_member(ClassicGroup& group, const std::string& member_id) {
  auto it = group.members.find(member_id);
  if (it == group.members.end()) return;
  GroupMember& member = it->second;
  if (member.join_reply)
    member.join_reply->complete(join_error(member_id, ErrorCode::kUnknownMemberId));
  if (member.sync_reply) member.sync_reply->complete(sync_error(ErrorCode::kUnknownMemberId));
  group.members.erase(it);
  if (group.is_leader(member_id)) {
    group.leader_id = group.members.empty() ? std::string() : group.members.begin()->first;
  }
}

void GroupCoordinator::remove_member_and_update(ClassicGroup& group, const std::string& member_id) {
  remove_member(group, member_id);
  // A group left Empty has no one to rebalance.
  if (group.state != GroupState::kEmpty) rebalance(group);
}

LeaveGroupResponse GroupCoordinator::leave(const std::string& group_id,
                                           const std::vector<LeaveGroupRequest::Member>& members) {
  LeaveGroupResponse response;
  ClassicGroup* group = find_group(group_id);
  for (const auto& leaving : members) {
    ErrorCode error = ErrorCode::kNone;
    if (!group) {
      error = ErrorCode::kUnknownMemberId;
    } else if (group->pending_members.erase(leaving.member_id) > 0) {
      if (group->state == GroupState::kPreparingRebalance) try_complete_join(*group);
    } else if (!group->has_member(leaving.member_id)) {
      error = ErrorCode::kUnknownMemberId;
    } else {
      spdlog::debug("group {}: member {} leaves", group_id, leaving.member_id);
      remove_member_and_update(*group, leaving.member_id);
    }
    response.members.push_back({leaving.member_id, leaving.group_instance_id, code(error)});
  }
  return response;
}

// ---- Listing ----

std::vector<ListGroupsResponse::Group> GroupCoordinator::list_groups(
    const std::vector<std::string>& states) const {
  std::vector<GroupState> wanted;
  for (const auto& name : states) {
    if (auto state = parse_group_state(name)) wanted.push_back(*state);
  }
  std::vector<ListGroupsResponse::Group> listed;
  for (const auto& [id, group] : groups_) {
    if (!states.empty() && std::find(wanted.begin(), wanted.end(), group.state) == wanted.end())
      continue;
    listed.push_back({id, group.protocol_type, std::string(group_state_name(group.state))});
  }
  return listed;
}

DescribeGroupsResponse::Group GroupCoordinator::describe_group(const std::string& group_id) const {
  DescribeGroupsResponse::Group described;
  described.group_id = group_id;
  if (group_id.empty()) {
    described.error_code = code(ErrorCode::kInvalidGroupId);
    return described;
  }
  const ClassicGroup* group = find_group(group_id);
  if (!group) {
    described.group_state = group_state_name(GroupState::kDead);
    return described;
  }
  described.group_state = group_state_name(group->state);
  described.protocol_type = group->protocol_type;
  // As Kafka: metadata and assignments only once the group is Stable.
  const bool stable = group->state == GroupState::kStable;
  if (stable) described.protocol_data = group->protocol_name.value_or("");
  for (const auto& [id, member] : group->members) {
    DescribeGroupsResponse::Member m;
    m.member_id = id;
    m.group_instance_id = member.group_instance_id;
    m.client_id = member.client_id;
    m.client_host = member.client_host;
    if (stable) {
      const Bytes* metadata = member.metadata_for(described.protocol_data);
      if (metadata) m.member_metadata = *metadata;
      m.member_assignment = Bytes{member.assignment};
    }
    described.members.push_back(std::move(m));
  }
  return described;
}

// ---- Committed offsets ----

ErrorCode GroupCoordinator::validate_commit(const OffsetCommitRequest& request) {
  if (request.group_id.empty()) return ErrorCode::kInvalidGroupId;
  ClassicGroup* group = find_group(request.group_id);
  if (!group) {
    if (request.generation_id >= 0) return ErrorCode::kIllegalGeneration;
    create_group(request.group_id);
    return ErrorCode::kNone;
  }
  if (request.generation_id < 0 && group->state == GroupState::kEmpty) return ErrorCode::kNone;
  if (group->state == GroupState::kCompletingRebalance) return ErrorCode::kRebalanceInProgress;
  if (!group->has_member(request.member_id)) return ErrorCode::kUnknownMemberId;
  if (request.generation_id != group->generation_id) return ErrorCode::kIllegalGeneration;
  arm_session_timer(*group, group->members.at(request.member_id));
  return ErrorCode::kNone;
}

boost::asio::awaitable<OffsetCommitResponse> GroupCoordinator::commit_offsets(
    OffsetCommitRequest request) {
  const ErrorCode group_error = validate_commit(request);
  OffsetCommitResponse response;
  std::vector<OffsetCommit> commits;
  const int64_t now = now_ms();
  for (const auto& topic : request.topics) {
    auto& topic_response = response.topics.emplace_back();
    topic_response.name = topic.name;
    for (const auto& p : topic.partitions) {
      ErrorCode error = group_error;
      const std::string metadata = p.committed_metadata.value_or("");
      if (error == ErrorCode::kNone && metadata.size() > kMaxOffsetMetadataBytes) {
        error = ErrorCode::kOffsetMetadataTooLarge;
      }
      if (error == ErrorCode::kNone) {
        commits.push_back({topic.name,
                           p.partition_index,
                           {p.committed_offset, p.committed_leader_epoch, metadata,
                            p.commit_timestamp >= 0 ? p.commit_timestamp : now}});
      }
      topic_response.partitions.push_back({p.partition_index, code(error)});
    }
  }
  if (commits.empty()) co_return response;

  const ClassicGroup* group = find_group(request.group_id);
  const std::string protocol_type = group ? group->protocol_type : std::string();
  Status stored = co_await offsets_.commit(request.group_id, protocol_type, std::move(commits));
  if (!stored.is_ok()) {
    spdlog::error("group {}: offset commit failed: {}", request.group_id, stored.to_string());
    for (auto& topic : response.topics) {
      for (auto& p : topic.partitions) {
        if (p.error_code == code(ErrorCode::kNone))
          p.error_code = code(ErrorCode::kUnknownServerError);
      }
    }
  }
  co_return response;
}

OffsetFetchResponse GroupCoordinator::fetch_offsets(const OffsetFetchRequest& request) const {
  OffsetFetchResponse response;
  const OffsetStore::GroupOffsets* offsets = offsets_.find(request.group_id);
  auto partition_response = [](int32_t partition, const CommittedOffset* committed) {
    OffsetFetchResponse::Partition p;
    p.partition_index = partition;
    p.metadata = committed ? committed->metadata : std::string();
    if (committed) {
      p.committed_offset = committed->offset;
      p.committed_leader_epoch = committed->leader_epoch;
    }
    return p;
  };
  if (!request.topics) {
    if (!offsets) return response;
    for (const auto& [tp, committed] : offsets->partitions) {
      if (response.topics.empty() || response.topics.back().name != tp.first) {
        response.topics.push_back({tp.first, {}});
      }
      response.topics.back().partitions.push_back(partition_response(tp.second, &committed));
    }
    return response;
  }
  for (const auto& topic : *request.topics) {
    auto& topic_response = response.topics.emplace_back();
    topic_response.name = topic.name;
    for (int32_t partition : topic.partition_indexes) {
      const CommittedOffset* committed = nullptr;
      if (offsets) {
        auto it = offsets->partitions.find({topic.name, partition});
        if (it != offsets->partitions.end()) committed = &it->second;
      }
      topic_response.partitions.push_back(partition_response(partition, committed));
    }
  }
  return response;
}

}  // namespace runnel::broker
