#include "sinks/jsonl_file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "sinks/row_json.h"

namespace runnel::sinks {
namespace {

Status io_error(const std::string& what, const std::filesystem::path& path) {
  return internal_error("jsonl: " + what + " " + path.string() + ": " + std::strerror(errno));
}

// Makes a newly created file's directory entry durable.
Status sync_directory(const std::filesystem::path& file) {
  std::filesystem::path directory = file.parent_path();
  if (directory.empty()) directory = ".";
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open directory", directory);
  int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return io_error("cannot sync directory", directory);
  return Status::ok();
}

}  // namespace

JsonLinesSink::JsonLinesSink(std::filesystem::path path) : path_(std::move(path)) {}

JsonLinesSink::~JsonLinesSink() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::vector<stream::SourceOffset>> JsonLinesSink::open(const stream::Schema& schema,
                                                              const std::string&) {
  schema_ = schema;
  if (fd_ >= 0) return std::vector<stream::SourceOffset>{};
  bool existed = std::filesystem::exists(path_);
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return io_error("cannot open", path_);
  if (!existed) {
    if (Status status = sync_directory(path_); !status.is_ok()) return status;
  }
  return std::vector<stream::SourceOffset>{};
}

Status JsonLinesSink::write(const stream::Batch& batch) {
  if (batch.rows.empty()) return Status::ok();
  lines_.clear();
  for (const stream::Row& row : batch.rows) {
    append_row_json(schema_, row, lines_);
    lines_ += '\n';
  }
  struct stat before {};
  if (::fstat(fd_, &before) != 0) return io_error("cannot stat", path_);
  size_t written = 0;
  while (written < lines_.size()) {
    ssize_t n = ::write(fd_, lines_.data() + written, lines_.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status status = io_error("cannot write", path_);
      (void)::ftruncate(fd_, before.st_size);
      return status;
    }
    written += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    Status status = io_error("cannot sync", path_);
    (void)::ftruncate(fd_, before.st_size);
    return status;
  }
  return Status::ok();
}

}  // namespace runnel::sinks
