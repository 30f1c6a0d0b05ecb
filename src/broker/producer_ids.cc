#include "broker/producer_ids.h"

#include <fstream>
#include <string>

#include "broker/durable_file.h"

namespace runnel::broker {

ProducerIds::ProducerIds(std::filesystem::path data_dir)
    : file_(std::move(data_dir) / "producer_ids") {}

Status ProducerIds::open() {
  std::ifstream in(file_);
  int64_t persisted = 0;
  if (in >> persisted && persisted > 0) next_ = block_end_ = persisted;
  return Status::ok();
}

Result<int64_t> ProducerIds::allocate() {
  if (next_ >= block_end_) {
    // Claim the next block before handing out any id from it, so a crash
    // can never lead to an id being given out twice.
    int64_t end = next_ + kBlockSize;
    Status persisted = write_file_atomically(file_, std::to_string(end) + "\n");
    if (!persisted.is_ok()) {
      return internal_error("cannot persist producer ids: " + persisted.message());
    }
    block_end_ = end;
  }
  return next_++;
}

}  // namespace runnel::broker
