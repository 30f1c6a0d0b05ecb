// Created-user records made ahead, on their own thread: the feed takes users
// from a UserSource, turns each into the record the ingestion produces
// (key = the created user's id, value = its JSON) and queues batches of
// them, a few batches ahead of the producer, so that making users and
// producing them run in parallel. Records come out in the source's order.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "stream/user_source.h"

namespace runnel::stream {

struct CreatedUserRecord {
  std::string key;    // the created user's id
  std::string value;  // datagen::to_json of the created user
};

class CreatedUserFeed {
 public:
  // Starts the thread. `limit` records in all, 0: no limit; batches ask
  // the source for min(limit left, max_batch()) users, so a seeded URL
  // source sees the same pages on every run.
  // REQUIRES: `source` outlives the feed and is used by nothing else.
  CreatedUserFeed(UserSource& source, std::int64_t limit);

  // Stops the thread and joins it; a fetch in progress finishes first.
  ~CreatedUserFeed();

  CreatedUserFeed(const CreatedUserFeed&) = delete;
  CreatedUserFeed& operator=(const CreatedUserFeed&) = delete;

  // Replaces `batch` with the next records. Empty when the limit was
  // reached or `stop` was requested while waiting; the source's error when
  // it failed, after every batch made before the failure was handed out.
  Status next(std::vector<CreatedUserRecord>& batch, std::stop_token stop);

 private:
  void make_records(std::stop_token stop);

  UserSource& source_;
  const std::int64_t limit_;

  std::mutex mutex_;
  std::condition_variable_any changed_;
  std::deque<std::vector<CreatedUserRecord>> ready_;  // guarded by mutex_
  bool finished_ = false;                             // guarded by mutex_
  Status source_status_;                              // guarded by mutex_; set when finished_

  std::jthread thread_;  // last: starts after the members above exist
};

}  // namespace runnel::stream
