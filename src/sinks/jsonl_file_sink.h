// Appends each row as one JSON object per line (row_json.h) to a file, and
// syncs the file after every batch. Does not store offsets: after a crash
// the job replays from its checkpoint, so a batch may appear twice (at
// least once).
#pragma once

#include <filesystem>
#include <string>

#include "stream/sink.h"

namespace runnel::sinks {

class JsonLinesSink final : public stream::Sink {
 public:
  // The file is created when missing (its directory must exist) and only
  // ever appended to.
  explicit JsonLinesSink(std::filesystem::path path);
  ~JsonLinesSink() override;
  JsonLinesSink(const JsonLinesSink&) = delete;
  JsonLinesSink& operator=(const JsonLinesSink&) = delete;

  std::string name() const override { return "jsonl"; }

  // Opens the file for appending; returns no offsets.
  Result<std::vector<stream::SourceOffset>> open(const stream::Schema& schema,
                                                 const std::string& job) override;

  // Appends the batch's rows and fsyncs. On an error the file is cut back
  // to its length before the batch. REQUIRES: open() succeeded.
  Status write(const stream::Batch& batch) override;

  bool stores_offsets() const override { return false; }

 private:
  std::filesystem::path path_;
  stream::Schema schema_;
  int fd_ = -1;        // owned; -1 until open()
  std::string lines_;  // reused between batches
};

}  // namespace runnel::sinks
