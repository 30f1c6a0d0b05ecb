// Committed offsets of every group, kept in memory and in an append-only file
// of commit records, <data_dir>/__consumer_offsets/commits.log:
//
//   record  := length:uint32 crc32:uint32 payload     (big-endian; crc of payload)
//   payload := version:int8(0) group:string protocol_type:string topic:string
//              partition:int32 offset:int64 leader_epoch:int32
//              metadata:nullable string commit_time_ms:int64
//
// The newest record of a (group, topic, partition) wins. open() ignores a torn
// or corrupt tail (a crash mid-append) and cuts it off, and rewrites the file
// with only the newest records when most of it is superseded. A commit is
// visible only after the file has been fdatasync'd; the sync runs on a thread
// of its own so the network thread never waits for the disk.
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace runnel::broker {

struct CommittedOffset {
  int64_t offset = -1;
  int32_t leader_epoch = -1;
  std::string metadata;
  int64_t commit_time_ms = 0;
};

struct OffsetCommit {
  std::string topic;
  int32_t partition = 0;
  CommittedOffset committed;
};

class OffsetStore {
 public:
  using TopicPartition = std::pair<std::string, int32_t>;
  struct GroupOffsets {
    std::string protocol_type;  // the group's at its latest commit
    std::map<TopicPartition, CommittedOffset> partitions;
  };

  explicit OffsetStore(const std::filesystem::path& data_dir);
  ~OffsetStore();
  OffsetStore(const OffsetStore&) = delete;
  OffsetStore& operator=(const OffsetStore&) = delete;

  // Loads the file (creating the directory and file if need be).
  Status open();

  // Appends `commits` for `group`, makes them durable, then visible.
  boost::asio::awaitable<Status> commit(const std::string& group, const std::string& protocol_type,
                                        std::vector<OffsetCommit> commits);

  // The group's committed offsets, or nullptr if it has none.
  const GroupOffsets* find(const std::string& group) const;
  const std::map<std::string, GroupOffsets>& groups() const { return groups_; }

 private:
  Status load(const std::filesystem::path& file);
  Status rewrite_live_records(const std::filesystem::path& file);
  void apply(const std::string& group, const std::string& protocol_type,
             const OffsetCommit& commit);

  std::filesystem::path dir_;
  int fd_ = -1;
  int64_t file_size_ = 0;
  int64_t record_count_ = 0;  // in the file, superseded ones included
  std::map<std::string, GroupOffsets> groups_;
  boost::asio::thread_pool sync_thread_{1};
};

}  // namespace runnel::broker
