#include "broker/group/classic_group.h"

#include <algorithm>

namespace runnel::broker {

const Bytes* GroupMember::metadata_for(const std::string& protocol) const {
  for (const auto& p : protocols) {
    if (p.name == protocol) return &p.metadata;
  }
  return nullptr;
}

bool GroupMember::has_protocols(const std::vector<JoinGroupRequest::Protocol>& other) const {
  return std::equal(
      protocols.begin(), protocols.end(), other.begin(), other.end(),
      [](const auto& a, const auto& b) { return a.name == b.name && a.metadata == b.metadata; });
}

bool ClassicGroup::supports(const std::string& type,
                            const std::vector<JoinGroupRequest::Protocol>& protocols) const {
  if (type.empty() || protocols.empty()) return false;
  if (members.empty()) return state == GroupState::kEmpty || type == protocol_type;
  if (type != protocol_type) return false;
  return std::any_of(protocols.begin(), protocols.end(), [&](const auto& p) {
    return std::all_of(members.begin(), members.end(),
                       [&](const auto& m) { return m.second.metadata_for(p.name) != nullptr; });
  });
}

std::string ClassicGroup::select_protocol() const {
  // Candidates in the order the first member lists them, so that ties go to
  // the protocol it prefers.
  std::vector<std::string> candidates;
  const GroupMember& first = members.begin()->second;
  for (const auto& p : first.protocols) {
    bool everyone = std::all_of(members.begin(), members.end(), [&](const auto& m) {
      return m.second.metadata_for(p.name) != nullptr;
    });
    if (everyone) candidates.push_back(p.name);
  }
  std::map<std::string, int> votes;
  for (const auto& [id, member] : members) {
    for (const auto& p : member.protocols) {
      if (std::find(candidates.begin(), candidates.end(), p.name) != candidates.end()) {
        ++votes[p.name];
        break;
      }
    }
  }
  std::string chosen = candidates.empty() ? std::string() : candidates.front();
  for (const auto& name : candidates) {
    if (votes[name] > votes[chosen]) chosen = name;
  }
  return chosen;
}

bool ClassicGroup::all_members_joined() const {
  return pending_members.empty() && std::all_of(members.begin(), members.end(), [](const auto& m) {
           return m.second.join_reply != nullptr;
         });
}

int32_t ClassicGroup::rebalance_timeout_ms() const {
  int32_t longest = 0;
  for (const auto& [id, member] : members) longest = std::max(longest, member.rebalance_timeout_ms);
  return longest;
}

std::vector<JoinGroupResponse::Member> ClassicGroup::member_list() const {
  std::vector<JoinGroupResponse::Member> list;
  for (const auto& [id, member] : members) {
    const Bytes* metadata = protocol_name ? member.metadata_for(*protocol_name) : nullptr;
    list.push_back({id, member.group_instance_id, metadata ? *metadata : Bytes{}});
  }
  return list;
}

}  // namespace runnel::broker
