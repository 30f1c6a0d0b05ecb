#include "broker/log/index_file.h"

namespace runnel::broker {
namespace {
constexpr size_t kWriteBlock = 4096;
}

Result<IndexFile> IndexFile::open(const std::filesystem::path& path) {
  auto fd = FileDescriptor::open(path);
  if (!fd) return fd.status();
  return IndexFile(std::move(*fd));
}

Result<bool> IndexFile::reconcile(std::string_view contents) {
  pending_.clear();
  auto size = fd_.size();
  if (!size) return size.status();
  std::string on_disk;
  if (*size == static_cast<int64_t>(contents.size())) {
    if (Status s = fd_.read_at(0, contents.size(), on_disk); !s.is_ok()) return s;
  }
  written_ = static_cast<int64_t>(contents.size());
  reconciled_ = true;
  if (*size == written_ && on_disk == contents) return false;
  if (Status s = fd_.truncate(0); !s.is_ok()) return s;
  if (Status s = fd_.write_at(0, contents); !s.is_ok()) return s;
  return true;
}

Status IndexFile::append(std::string_view entry) {
  pending_.append(entry);
  return reconciled_ && pending_.size() >= kWriteBlock ? write_pending() : Status::ok();
}

Status IndexFile::write_pending() {
  if (pending_.empty()) return Status::ok();
  if (Status s = fd_.write_at(written_, pending_); !s.is_ok()) return s;
  written_ += static_cast<int64_t>(pending_.size());
  pending_.clear();
  return Status::ok();
}

}  // namespace runnel::broker
