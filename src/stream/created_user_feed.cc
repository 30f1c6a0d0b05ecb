#include "stream/created_user_feed.h"

#include <algorithm>

#include "datagen/created_user.h"

namespace runnel::stream {
namespace {

// Batches made ahead of the producer: enough to ride out a slow batch,
// few enough that a stopped run wastes little.
constexpr std::size_t kBatchesAhead = 4;

}  // namespace

CreatedUserFeed::CreatedUserFeed(UserSource& source, std::int64_t limit)
    : source_(source),
      limit_(std::max<std::int64_t>(limit, 0)),
      thread_([this](std::stop_token stop) { make_records(stop); }) {}

CreatedUserFeed::~CreatedUserFeed() {
  thread_.request_stop();
  thread_.join();
}

void CreatedUserFeed::make_records(std::stop_token stop) {
  Status status;
  std::vector<datagen::RandomUser> users;
  std::int64_t made = 0;
  while (!stop.stop_requested()) {
    const std::int64_t wanted =
        limit_ == 0 ? source_.max_batch() : std::min(limit_ - made, source_.max_batch());
    if (wanted == 0) break;
    status = source_.next_batch(wanted, users);
    if (!status.is_ok()) break;
    std::vector<CreatedUserRecord> records(users.size());
    for (std::size_t i = 0; i < users.size(); ++i) {
      datagen::CreatedUser created = datagen::to_created_user(users[i]);
      records[i].value = datagen::to_json(created);
      records[i].key = std::move(created.id);
    }
    made += static_cast<std::int64_t>(records.size());
    std::unique_lock lock(mutex_);
    if (!changed_.wait(lock, stop, [this] { return ready_.size() < kBatchesAhead; })) break;
    ready_.push_back(std::move(records));
    changed_.notify_all();
  }
  std::lock_guard lock(mutex_);
  finished_ = true;
  source_status_ = std::move(status);
  changed_.notify_all();
}

Status CreatedUserFeed::next(std::vector<CreatedUserRecord>& batch, std::stop_token stop) {
  batch.clear();
  std::unique_lock lock(mutex_);
  changed_.wait(lock, stop, [this] { return !ready_.empty() || finished_; });
  if (!ready_.empty()) {
    batch = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return Status::ok();
  }
  return finished_ ? source_status_ : Status::ok();
}

}  // namespace runnel::stream
