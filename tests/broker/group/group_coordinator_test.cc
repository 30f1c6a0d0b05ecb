#include "broker/group/group_coordinator.h"

#include "coordinator_testing.h"

namespace runnel::broker {
namespace {

using boost::asio::awaitable;
using testing::CoordinatorTest;
using testing::sleep_for;
using testing::until;
using namespace std::chrono_literals;

constexpr int16_t kNone = 0;

int16_t err(ErrorCode e) { return code(e); }

using GroupCoordinatorTest = CoordinatorTest;

TEST_F(GroupCoordinatorTest, SingleMemberJoinsSyncsAndIsStable) {
  run([&]() -> awaitable<void> {
    JoinGroupResponse joined = co_await join(join_request("g", ""));
    EXPECT_EQ(joined.error_code, kNone);
    EXPECT_EQ(joined.generation_id, 1);
    EXPECT_EQ(joined.protocol_name, "range");
    EXPECT_EQ(joined.protocol_type, "consumer");
    EXPECT_EQ(joined.leader, joined.member_id);
    EXPECT_TRUE(joined.member_id.starts_with("client-"));
    CO_ASSERT_EQ(joined.members.size(), 1u);
    EXPECT_EQ(joined.members[0].metadata.value, "meta");
    EXPECT_EQ(state_of("g"), "CompletingRebalance");

    std::vector<SyncGroupRequest::Assignment> assignments{{joined.member_id, Bytes{"p0"}}};
    SyncGroupResponse synced = co_await sync("g", 1, joined.member_id, assignments);
    EXPECT_EQ(synced.error_code, kNone);
    EXPECT_EQ(synced.assignment.value, "p0");
    EXPECT_EQ(state_of("g"), "Stable");
    EXPECT_EQ(heartbeat("g", 1, joined.member_id), ErrorCode::kNone);

    auto described = coordinator_->describe_group("g");
    EXPECT_EQ(described.protocol_data, "range");
    CO_ASSERT_EQ(described.members.size(), 1u);
    EXPECT_EQ(described.members[0].client_id, "client");
    EXPECT_EQ(described.members[0].client_host, "/127.0.0.1");
    EXPECT_EQ(described.members[0].member_metadata.value, "meta");
    EXPECT_EQ(described.members[0].member_assignment.value, "p0");
    auto listed = coordinator_->list_groups({});
    CO_ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].group_state, "Stable");
    EXPECT_EQ(listed[0].protocol_type, "consumer");
  });
}

TEST_F(GroupCoordinatorTest, TwoMembersShareAGenerationAndTheLeadersAssignment) {
  run([&]() -> awaitable<void> {
    JoinGroupResponse a = co_await join(join_request("g", ""));
    std::vector<SyncGroupRequest::Assignment> first{{a.member_id, Bytes{"all"}}};
    co_await sync("g", a.generation_id, a.member_id, first);

    auto b_join = start(join(join_request("g", "")));
    co_await sleep_for(5ms);
    EXPECT_FALSE(b_join->has_value()) << "B waits for A to rejoin";
    EXPECT_EQ(state_of("g"), "PreparingRebalance");
    EXPECT_EQ(heartbeat("g", a.generation_id, a.member_id), ErrorCode::kRebalanceInProgress);

    JoinGroupResponse a2 = co_await join(join_request("g", a.member_id));
    co_await until([&] { return b_join->has_value(); });
    JoinGroupResponse b = **b_join;
    EXPECT_EQ(a2.error_code, kNone);
    EXPECT_EQ(b.error_code, kNone);
    EXPECT_EQ(a2.generation_id, 2);
    EXPECT_EQ(b.generation_id, 2);
    EXPECT_EQ(a2.leader, a.member_id);
    EXPECT_EQ(b.leader, a.member_id);
    EXPECT_EQ(a2.members.size(), 2u);
    EXPECT_TRUE(b.members.empty());

    // The follower's SyncGroup waits for the leader's.
    auto b_sync = start(sync("g", 2, b.member_id));
    co_await sleep_for(5ms);
    EXPECT_FALSE(b_sync->has_value());
    std::vector<SyncGroupRequest::Assignment> assignments{{a.member_id, Bytes{"p0"}},
                                                          {b.member_id, Bytes{"p1"}}};
    SyncGroupResponse a_sync = co_await sync("g", 2, a.member_id, assignments);
    co_await until([&] { return b_sync->has_value(); });
    EXPECT_EQ(a_sync.assignment.value, "p0");
    EXPECT_EQ((*b_sync)->error_code, kNone);
    EXPECT_EQ((*b_sync)->assignment.value, "p1");
    EXPECT_EQ(state_of("g"), "Stable");
  });
}

class StableGroupTest : public GroupCoordinatorTest {
 protected:
  // Brings a stable two-member group "g" about: members_[0] leads.
  awaitable<void> form_two(int32_t session_timeout_ms = 1000) {
    JoinGroupResponse a = co_await join(join_request("g", "", "range", session_timeout_ms));
    auto b_join = start(join(join_request("g", "", "range", session_timeout_ms)));
    co_await sleep_for(2ms);
    JoinGroupResponse a2 =
        co_await join(join_request("g", a.member_id, "range", session_timeout_ms));
    co_await until([&] { return b_join->has_value(); });
    auto b_sync = start(sync("g", a2.generation_id, (*b_join)->member_id));
    co_await sync("g", a2.generation_id, a.member_id);
    co_await until([&] { return b_sync->has_value(); });
    members_ = {a.member_id, (*b_join)->member_id};
    generation_ = a2.generation_id;
    EXPECT_EQ(state_of("g"), "Stable");
  }

  std::vector<std::string> members_;
  int32_t generation_ = 0;
};

TEST_F(StableGroupTest, ThirdMemberMakesTheOthersRejoinIntoANewGeneration) {
  run([&]() -> awaitable<void> {
    co_await form_two();
    auto c_join = start(join(join_request("g", "")));
    co_await sleep_for(2ms);
    EXPECT_EQ(heartbeat("g", generation_, members_[0]), ErrorCode::kRebalanceInProgress);
    EXPECT_EQ(heartbeat("g", generation_, members_[1]), ErrorCode::kRebalanceInProgress);
    auto a_join = start(join(join_request("g", members_[0])));
    auto b_join = start(join(join_request("g", members_[1])));
    co_await until(
        [&] { return a_join->has_value() && b_join->has_value() && c_join->has_value(); });
    EXPECT_EQ((*a_join)->generation_id, generation_ + 1);
    EXPECT_EQ((*b_join)->generation_id, generation_ + 1);
    EXPECT_EQ((*c_join)->generation_id, generation_ + 1);
    EXPECT_EQ((*a_join)->members.size(), 3u);
    EXPECT_EQ(state_of("g"), "CompletingRebalance");
  });
}

TEST_F(StableGroupTest, MemberThatStopsHeartbeatingIsEvicted) {
  run([&]() -> awaitable<void> {
    co_await form_two(/*session_timeout_ms=*/60);
    // A heartbeats, B falls silent.
    ErrorCode a_heard = ErrorCode::kNone;
    for (int i = 0; i < 20 && a_heard == ErrorCode::kNone; ++i) {
      co_await sleep_for(15ms);
      a_heard = heartbeat("g", generation_, members_[0]);
    }
    EXPECT_EQ(a_heard, ErrorCode::kRebalanceInProgress);
    JoinGroupResponse a = co_await join(join_request("g", members_[0], "range", 60));
    EXPECT_EQ(a.error_code, kNone);
    EXPECT_EQ(a.generation_id, generation_ + 1);
    CO_ASSERT_EQ(a.members.size(), 1u);
    EXPECT_EQ(heartbeat("g", a.generation_id, members_[1]), ErrorCode::kUnknownMemberId);
  });
}

TEST_F(StableGroupTest, LeaveRebalancesTheRest) {
  run([&]() -> awaitable<void> {
    co_await form_two();
    LeaveGroupResponse left =
        coordinator_->leave("g", {{members_[1], std::nullopt}, {"stranger", std::nullopt}});
    CO_ASSERT_EQ(left.members.size(), 2u);
    EXPECT_EQ(left.members[0].error_code, kNone);
    EXPECT_EQ(left.members[1].error_code, err(ErrorCode::kUnknownMemberId));
    EXPECT_EQ(heartbeat("g", generation_, members_[0]), ErrorCode::kRebalanceInProgress);
    JoinGroupResponse a = co_await join(join_request("g", members_[0]));
    EXPECT_EQ(a.generation_id, generation_ + 1);
    EXPECT_EQ(a.members.size(), 1u);

    coordinator_->leave("g", {{members_[0], std::nullopt}});
    EXPECT_EQ(state_of("g"), "Empty");
  });
}

TEST_F(StableGroupTest, MembersThatDoNotRejoinWithinTheRebalanceTimeoutAreRemoved) {
  run([&]() -> awaitable<void> {
    co_await form_two();
    // C joins with a 300 ms rebalance timeout (join_request's); A rejoins, B never does.
    auto c_join = start(join(join_request("g", "")));
    JoinGroupResponse a = co_await join(join_request("g", members_[0]));
    co_await until([&] { return c_join->has_value(); });
    EXPECT_EQ(a.generation_id, generation_ + 1);
    EXPECT_EQ(a.members.size(), 2u);
    EXPECT_EQ((*c_join)->error_code, kNone);
    EXPECT_EQ(heartbeat("g", a.generation_id, members_[1]), ErrorCode::kUnknownMemberId);
  });
}

TEST_F(StableGroupTest, WrongGenerationIsIllegal) {
  run([&]() -> awaitable<void> {
    co_await form_two();
    EXPECT_EQ(heartbeat("g", generation_ + 1, members_[0]), ErrorCode::kIllegalGeneration);
    EXPECT_EQ(heartbeat("g", generation_ - 1, members_[1]), ErrorCode::kIllegalGeneration);
    SyncGroupResponse synced = co_await sync("g", generation_ - 1, members_[0]);
    EXPECT_EQ(synced.error_code, err(ErrorCode::kIllegalGeneration));
  });
}

TEST_F(StableGroupTest, UnknownMembersAreRefused) {
  run([&]() -> awaitable<void> {
    co_await form_two();
    EXPECT_EQ(heartbeat("g", generation_, "nobody"), ErrorCode::kUnknownMemberId);
    EXPECT_EQ(heartbeat("no-such-group", 1, "nobody"), ErrorCode::kUnknownMemberId);
    EXPECT_EQ((co_await sync("g", generation_, "nobody")).error_code,
              err(ErrorCode::kUnknownMemberId));
    JoinGroupResponse joined = co_await join(join_request("g", "nobody"));
    EXPECT_EQ(joined.error_code, err(ErrorCode::kUnknownMemberId));
    EXPECT_EQ((co_await join(join_request("no-such-group", "nobody"))).error_code,
              err(ErrorCode::kUnknownMemberId));
  });
}

TEST_F(StableGroupTest, SyncDuringARebalanceIsToldToRejoin) {
  run([&]() -> awaitable<void> {
    co_await form_two();
    auto c_join = start(join(join_request("g", "")));
    co_await sleep_for(2ms);
    SyncGroupResponse synced = co_await sync("g", generation_, members_[1]);
    EXPECT_EQ(synced.error_code, err(ErrorCode::kRebalanceInProgress));
  });
}

TEST_F(GroupCoordinatorTest, InconsistentProtocolsAreRefused) {
  run([&]() -> awaitable<void> {
    JoinGroupResponse a = co_await join(join_request("g", "", "range,roundrobin"));
    EXPECT_EQ(a.error_code, kNone);
    JoinGroupRequest other_type = join_request("g", "");
    other_type.protocol_type = "connect";
    EXPECT_EQ((co_await join(other_type)).error_code, err(ErrorCode::kInconsistentGroupProtocol));
    EXPECT_EQ((co_await join(join_request("g", "", "sticky"))).error_code,
              err(ErrorCode::kInconsistentGroupProtocol));
    EXPECT_EQ((co_await join(join_request("g2", "", ""))).error_code,
              err(ErrorCode::kInconsistentGroupProtocol));
  });
}

TEST_F(GroupCoordinatorTest, ProtocolIsTheOneMostMembersPreferAmongThoseAllSupport) {
  run([&]() -> awaitable<void> {
    JoinGroupResponse a = co_await join(join_request("g", "", "range,roundrobin"));
    auto b_join = start(join(join_request("g", "", "sticky,roundrobin,range")));
    auto c_join = start(join(join_request("g", "", "roundrobin,range")));
    co_await sleep_for(2ms);
    JoinGroupResponse a2 = co_await join(join_request("g", a.member_id, "range,roundrobin"));
    co_await until([&] { return b_join->has_value() && c_join->has_value(); });
    EXPECT_EQ(a2.protocol_name, "roundrobin");
    EXPECT_EQ((*b_join)->protocol_name, "roundrobin");
    CO_ASSERT_EQ(a2.members.size(), 3u);
  });
}

TEST_F(GroupCoordinatorTest, MemberIdRequiredFlow) {
  run([&]() -> awaitable<void> {
    JoinGroupResponse first =
        co_await join(join_request("g", ""), /*require_known_member_id=*/true);
    EXPECT_EQ(first.error_code, err(ErrorCode::kMemberIdRequired));
    EXPECT_TRUE(first.member_id.starts_with("client-"));
    EXPECT_EQ(first.member_id.size(), std::string("client-").size() + 36);
    EXPECT_EQ(state_of("g"), "Empty");

    JoinGroupResponse second = co_await join(join_request("g", first.member_id), true);
    EXPECT_EQ(second.error_code, kNone);
    EXPECT_EQ(second.member_id, first.member_id);
    EXPECT_EQ(second.generation_id, 1);
  });
}

TEST_F(GroupCoordinatorTest, SessionTimeoutOutsideTheConfiguredRangeIsInvalid) {
  run([&]() -> awaitable<void> {
    auto too_short = join_request("g", "", "range", 5);
    EXPECT_EQ((co_await join(too_short)).error_code, err(ErrorCode::kInvalidSessionTimeout));
    auto too_long = join_request("g", "", "range", 20000);
    EXPECT_EQ((co_await join(too_long)).error_code, err(ErrorCode::kInvalidSessionTimeout));
  });
}

TEST_F(GroupCoordinatorTest, InitialRebalanceDelayGathersMembersOfANewGroup) {
  config_.initial_rebalance_delay_ms = 40;
  reopen();
  run([&]() -> awaitable<void> {
    auto a_join = start(join(join_request("g", "")));
    co_await sleep_for(10ms);
    EXPECT_FALSE(a_join->has_value());
    auto b_join = start(join(join_request("g", "")));
    co_await until([&] { return a_join->has_value() && b_join->has_value(); });
    EXPECT_EQ((*a_join)->generation_id, 1);
    EXPECT_EQ((*b_join)->generation_id, 1);
    EXPECT_EQ((*a_join)->leader, (*b_join)->leader);
  });
}

TEST_F(GroupCoordinatorTest, ListAndDescribe) {
  run([&]() -> awaitable<void> {
    JoinGroupResponse a = co_await join(join_request("stable", ""));
    co_await sync("stable", 1, a.member_id);
    co_await join(join_request("completing", ""));
    auto stable_only = coordinator_->list_groups({"stable"});
    CO_ASSERT_EQ(stable_only.size(), 1u);
    EXPECT_EQ(stable_only[0].group_id, "stable");
    EXPECT_EQ(coordinator_->list_groups({"Stable", "CompletingRebalance"}).size(), 2u);
    EXPECT_EQ(coordinator_->list_groups({"Empty"}).size(), 0u);

    auto completing = coordinator_->describe_group("completing");
    EXPECT_EQ(completing.group_state, "CompletingRebalance");
    EXPECT_EQ(completing.protocol_data, "");
    CO_ASSERT_EQ(completing.members.size(), 1u);
    EXPECT_TRUE(completing.members[0].member_metadata.value.empty());
    EXPECT_EQ(coordinator_->describe_group("unknown").group_state, "Dead");
    EXPECT_EQ(coordinator_->describe_group("").error_code, err(ErrorCode::kInvalidGroupId));
  });
}

}  // namespace
}  // namespace runnel::broker
