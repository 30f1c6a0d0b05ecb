#include <fstream>

#include "broker/group/group_coordinator.h"
#include "coordinator_testing.h"

namespace runnel::broker {
namespace {

using boost::asio::awaitable;
using testing::CoordinatorTest;
using namespace std::chrono_literals;

using CommittedOffsetsTest = CoordinatorTest;

OffsetCommitRequest commit_request(const std::string& group, const std::string& topic,
                                   std::vector<std::pair<int32_t, int64_t>> offsets,
                                   int32_t generation = -1, const std::string& member_id = "") {
  OffsetCommitRequest request;
  request.group_id = group;
  request.generation_id = generation;
  request.member_id = member_id;
  auto& t = request.topics.emplace_back();
  t.name = topic;
  for (auto [partition, offset] : offsets) {
    OffsetCommitRequest::Partition p;
    p.partition_index = partition;
    p.committed_offset = offset;
    p.committed_metadata = "m" + std::to_string(offset);
    t.partitions.push_back(p);
  }
  return request;
}

OffsetFetchRequest fetch_all(const std::string& group) {
  OffsetFetchRequest request;
  request.group_id = group;
  return request;
}

OffsetFetchRequest fetch_partitions(const std::string& group, const std::string& topic,
                                    std::vector<int32_t> partitions) {
  OffsetFetchRequest request;
  request.group_id = group;
  request.topics = std::vector<OffsetFetchRequest::Topic>{{topic, std::move(partitions)}};
  return request;
}

int16_t first_error(const OffsetCommitResponse& response) {
  return response.topics.at(0).partitions.at(0).error_code;
}

TEST_F(CommittedOffsetsTest, SimpleConsumerCommitsAndFetches) {
  run([&]() -> awaitable<void> {
    OffsetCommitRequest request1 = commit_request("g", "orders", {{0, 42}, {2, 7}});
    OffsetCommitResponse committed = co_await coordinator_->commit_offsets(request1);
    CO_ASSERT_EQ(committed.topics.size(), 1u);
    EXPECT_EQ(committed.topics[0].partitions[0].error_code, 0);
    EXPECT_EQ(committed.topics[0].partitions[1].error_code, 0);

    OffsetFetchResponse some = coordinator_->fetch_offsets(fetch_partitions("g", "orders", {0, 1}));
    CO_ASSERT_EQ(some.topics.size(), 1u);
    CO_ASSERT_EQ(some.topics[0].partitions.size(), 2u);
    EXPECT_EQ(some.topics[0].partitions[0].committed_offset, 42);
    EXPECT_EQ(some.topics[0].partitions[0].metadata, "m42");
    EXPECT_EQ(some.topics[0].partitions[1].committed_offset, -1);
    EXPECT_EQ(some.topics[0].partitions[1].error_code, 0);

    OffsetFetchResponse all = coordinator_->fetch_offsets(fetch_all("g"));
    CO_ASSERT_EQ(all.topics.size(), 1u);
    CO_ASSERT_EQ(all.topics[0].partitions.size(), 2u);
    EXPECT_EQ(all.topics[0].partitions[1].partition_index, 2);
    EXPECT_EQ(all.topics[0].partitions[1].committed_offset, 7);
    EXPECT_TRUE(coordinator_->fetch_offsets(fetch_all("other")).topics.empty());

    // A later commit wins.
    OffsetCommitRequest request2 = commit_request("g", "orders", {{0, 50}});
    co_await coordinator_->commit_offsets(request2);
    EXPECT_EQ(coordinator_->fetch_offsets(fetch_all("g")).topics[0].partitions[0].committed_offset,
              50);
    EXPECT_EQ(state_of("g"), "Empty");
  });
}

TEST_F(CommittedOffsetsTest, GroupMembersCommitWithTheirGeneration) {
  run([&]() -> awaitable<void> {
    JoinGroupResponse joined = co_await join(join_request("g", ""));
    co_await sync("g", joined.generation_id, joined.member_id);
    const int32_t gen = joined.generation_id;
    OffsetCommitRequest request3 = commit_request("g", "t", {{0, 1}}, gen, joined.member_id);
    EXPECT_EQ(first_error(co_await coordinator_->commit_offsets(request3)), 0);
    OffsetCommitRequest request4 = commit_request("g", "t", {{0, 2}}, gen + 1, joined.member_id);
    EXPECT_EQ(first_error(co_await coordinator_->commit_offsets(request4)),
              code(ErrorCode::kIllegalGeneration));
    OffsetCommitRequest request5 = commit_request("g", "t", {{0, 3}}, gen, "nobody");
    EXPECT_EQ(first_error(co_await coordinator_->commit_offsets(request5)),
              code(ErrorCode::kUnknownMemberId));
    OffsetCommitRequest request6 = commit_request("new", "t", {{0, 3}}, 4, "m");
    EXPECT_EQ(first_error(co_await coordinator_->commit_offsets(request6)),
              code(ErrorCode::kIllegalGeneration));
    EXPECT_EQ(coordinator_->fetch_offsets(fetch_all("g")).topics[0].partitions[0].committed_offset,
              1);
  });
}

TEST_F(CommittedOffsetsTest, OversizedMetadataIsRefused) {
  run([&]() -> awaitable<void> {
    OffsetCommitRequest request = commit_request("g", "t", {{0, 1}, {1, 1}});
    request.topics[0].partitions[1].committed_metadata = std::string(5000, 'x');
    OffsetCommitResponse response = co_await coordinator_->commit_offsets(request);
    EXPECT_EQ(response.topics[0].partitions[0].error_code, 0);
    EXPECT_EQ(response.topics[0].partitions[1].error_code,
              code(ErrorCode::kOffsetMetadataTooLarge));
  });
}

TEST_F(CommittedOffsetsTest, OffsetsSurviveAReopen) {
  run([&]() -> awaitable<void> {
    JoinGroupResponse joined = co_await join(join_request("members", ""));
    co_await sync("members", joined.generation_id, joined.member_id);
    OffsetCommitRequest request7 =
        commit_request("members", "t", {{0, 5}}, joined.generation_id, joined.member_id);
    co_await coordinator_->commit_offsets(request7);
    OffsetCommitRequest request8 = commit_request("simple", "t", {{3, 9}});
    co_await coordinator_->commit_offsets(request8);
  });
  reopen();
  auto listed = coordinator_->list_groups({});
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].group_id, "members");
  EXPECT_EQ(listed[0].group_state, "Empty");
  EXPECT_EQ(listed[0].protocol_type, "consumer");
  EXPECT_EQ(listed[1].protocol_type, "");
  EXPECT_EQ(coordinator_->fetch_offsets(fetch_all("members"))
                .topics.at(0)
                .partitions.at(0)
                .committed_offset,
            5);
  auto simple = coordinator_->fetch_offsets(fetch_partitions("simple", "t", {3}));
  EXPECT_EQ(simple.topics.at(0).partitions.at(0).committed_offset, 9);
  EXPECT_EQ(simple.topics.at(0).partitions.at(0).metadata, "m9");
}

TEST_F(CommittedOffsetsTest, TornTailIsIgnoredAndCutOff) {
  run([&]() -> awaitable<void> {
    OffsetCommitRequest request9 = commit_request("g", "t", {{0, 1}, {1, 2}});
    co_await coordinator_->commit_offsets(request9);
  });
  coordinator_.reset();
  const auto file = dir_ / "__consumer_offsets" / "commits.log";
  const auto whole = std::filesystem::file_size(file);
  {
    // Half a record: a length promising more than follows.
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out.write("\0\0\0\x40\x12\x34\x56\x78partial", 15);
  }
  reopen();
  EXPECT_EQ(std::filesystem::file_size(file), whole);
  run([&]() -> awaitable<void> {
    OffsetCommitRequest request10 = commit_request("g", "t", {{1, 3}});
    co_await coordinator_->commit_offsets(request10);
  });
  reopen();
  auto all = coordinator_->fetch_offsets(fetch_all("g"));
  ASSERT_EQ(all.topics.size(), 1u);
  ASSERT_EQ(all.topics[0].partitions.size(), 2u);
  EXPECT_EQ(all.topics[0].partitions[0].committed_offset, 1);
  EXPECT_EQ(all.topics[0].partitions[1].committed_offset, 3);
}

TEST_F(CommittedOffsetsTest, SupersededRecordsAreCompactedOnOpen) {
  run([&]() -> awaitable<void> {
    std::vector<std::pair<int32_t, int64_t>> first, second;
    for (int32_t p = 0; p < 600; ++p) {
      first.emplace_back(p, 1);
      second.emplace_back(p, 2);
    }
    co_await coordinator_->commit_offsets(commit_request("g", "t", first));
    co_await coordinator_->commit_offsets(commit_request("g", "t", second));
  });
  const auto file = dir_ / "__consumer_offsets" / "commits.log";
  const auto before = std::filesystem::file_size(file);
  reopen();
  EXPECT_LT(std::filesystem::file_size(file), before * 6 / 10);
  auto all = coordinator_->fetch_offsets(fetch_all("g"));
  ASSERT_EQ(all.topics.at(0).partitions.size(), 600u);
  EXPECT_EQ(all.topics[0].partitions[599].committed_offset, 2);
}

}  // namespace
}  // namespace runnel::broker
