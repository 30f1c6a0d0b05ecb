#include "broker/producer_ids.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

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
    std::string text = std::to_string(end) + "\n";
    std::filesystem::path temporary = file_;
    temporary += ".tmp";
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool written = fd >= 0 &&
                   ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                   ::fdatasync(fd) == 0;
    int saved_errno = errno;
    if (fd >= 0) ::close(fd);
    if (!written || ::rename(temporary.c_str(), file_.c_str()) != 0) {
      return internal_error("cannot persist producer ids in " + file_.string() + ": " +
                            std::strerror(written ? errno : saved_errno));
    }
    block_end_ = end;
  }
  return next_++;
}

}  // namespace runnel::broker
