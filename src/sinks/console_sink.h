// Prints each batch as Spark's console sink does: a "Batch: N" banner, then
// the first rows as a table (Dataset.show: cells right-aligned, long text
// cut to 20 characters, "null" for null) or as JSON lines. For watching a
// job; stores no offsets.
#pragma once

#include <cstddef>
#include <iostream>
#include <string>

#include "stream/sink.h"

namespace runnel::sinks {

enum class ConsoleFormat { kTable, kJsonLines };

struct ConsoleSinkConfig {
  size_t max_rows = 20;  // rows shown per batch, as Spark's numRows
  ConsoleFormat format = ConsoleFormat::kTable;
  bool truncate = true;  // table cells longer than 20 characters end in "..."
};

class ConsoleSink final : public stream::Sink {
 public:
  // `out` must outlive the sink.
  explicit ConsoleSink(ConsoleSinkConfig config = {}, std::ostream& out = std::cout);

  std::string name() const override { return "console"; }
  Result<std::vector<stream::SourceOffset>> open(const stream::Schema& schema,
                                                 const std::string& job) override;
  // REQUIRES: open() was called.
  Status write(const stream::Batch& batch) override;
  bool stores_offsets() const override { return false; }

 private:
  void append_table(const stream::Batch& batch, std::string& out) const;
  void append_json_lines(const stream::Batch& batch, std::string& out) const;

  ConsoleSinkConfig config_;
  std::ostream& out_;
  stream::Schema schema_;
};

}  // namespace runnel::sinks
