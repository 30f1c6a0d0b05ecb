// An owned POSIX file descriptor and the few positioned I/O calls the log
// makes, with errors as Status values naming the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace runnel::broker {

class FileDescriptor {
 public:
  FileDescriptor() = default;
  FileDescriptor(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  FileDescriptor(FileDescriptor&& other) noexcept;
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor();

  // Opens read-write, creating the file when missing.
  static Result<FileDescriptor> open(const std::filesystem::path& path);
  // Opens a directory, for fsync after creating or removing files in it.
  static Result<FileDescriptor> open_directory(const std::filesystem::path& path);

  int get() const { return fd_; }
  const std::filesystem::path& path() const { return path_; }

  Result<int64_t> size() const;
  // Reads up to n bytes at `position` into `out` (replacing it); fewer only
  // at the end of the file.
  Status read_at(int64_t position, size_t n, std::string& out) const;
  // Writes all of `bytes` at `position`, retrying short writes.
  Status write_at(int64_t position, std::string_view bytes) const;
  Status truncate(int64_t size) const;
  Status sync_data() const;  // fdatasync
  Status sync() const;       // fsync, for directories

 private:
  Status error(std::string_view what) const;

  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace runnel::broker
