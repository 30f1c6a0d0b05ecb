// The file behind one of a segment's indexes. The in-memory entries are
// authoritative; the file is their on-disk copy, appended through a buffer
// and rewritten on open when it does not match what the .log says.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "broker/log/file_descriptor.h"
#include "common/status.h"

namespace runnel::broker {

class IndexFile {
 public:
  static Result<IndexFile> open(const std::filesystem::path& path);

  // Makes the file hold exactly `contents`, rewriting it only when it is
  // missing, short or different. Returns whether it was rewritten. Until
  // then, appends only build up in memory (the index is being rebuilt).
  Result<bool> reconcile(std::string_view contents);
  // Buffers an entry; once reconciled, the buffer is written when it
  // reaches a block.
  Status append(std::string_view entry);
  Status write_pending();
  // fdatasync; safe while another thread appends.
  Status sync() const { return fd_.sync_data(); }
  const std::filesystem::path& path() const { return fd_.path(); }

 private:
  explicit IndexFile(FileDescriptor fd) : fd_(std::move(fd)) {}

  FileDescriptor fd_;
  std::string pending_;
  int64_t written_ = 0;  // bytes in the file; pending_ goes after them
  bool reconciled_ = false;
};

}  // namespace runnel::broker
