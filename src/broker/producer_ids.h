// Producer ids for idempotent producers (InitProducerId). Ids are never
// reused, across restarts too: the next unused id is persisted in blocks, so
// allocating costs a disk sync only once per block.
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/status.h"

namespace runnel::broker {

class ProducerIds {
 public:
  explicit ProducerIds(std::filesystem::path data_dir);

  // Reads where the last run's block ended.
  Status open();
  Result<int64_t> allocate();

 private:
  static constexpr int64_t kBlockSize = 1000;

  std::filesystem::path file_;
  int64_t next_ = 0;
  int64_t block_end_ = 0;  // ids below this are covered by the persisted block
};

}  // namespace runnel::broker
