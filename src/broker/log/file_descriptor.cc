#include "broker/log/file_descriptor.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace runnel::broker {

FileDescriptor::FileDescriptor(FileDescriptor&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

Result<FileDescriptor> FileDescriptor::open(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return unavailable("open " + path.string() + ": " + std::strerror(errno));
  return FileDescriptor(fd, path);
}

Result<FileDescriptor> FileDescriptor::open_directory(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return unavailable("open " + path.string() + ": " + std::strerror(errno));
  return FileDescriptor(fd, path);
}

Status FileDescriptor::error(std::string_view what) const {
  return unavailable(std::string(what) + " " + path_.string() + ": " + std::strerror(errno));
}

Result<int64_t> FileDescriptor::size() const {
  struct stat st;
  if (::fstat(fd_, &st) != 0) return error("fstat");
  return static_cast<int64_t>(st.st_size);
}

Status FileDescriptor::read_at(int64_t position, size_t n, std::string& out) const {
  out.resize(n);
  size_t done = 0;
  while (done < n) {
    ssize_t got = ::pread(fd_, out.data() + done, n - done, position + static_cast<int64_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return error("pread");
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  out.resize(done);
  return Status::ok();
}

Status FileDescriptor::write_at(int64_t position, std::string_view bytes) const {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t put = ::pwrite(fd_, bytes.data() + done, bytes.size() - done,
                           position + static_cast<int64_t>(done));
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) return error("pwrite");
    done += static_cast<size_t>(put);
  }
  return Status::ok();
}

Status FileDescriptor::truncate(int64_t size) const {
  if (::ftruncate(fd_, size) != 0) return error("ftruncate");
  return Status::ok();
}

Status FileDescriptor::sync_data() const {
  if (::fdatasync(fd_) != 0) return error("fdatasync");
  return Status::ok();
}

Status FileDescriptor::sync() const {
  if (::fsync(fd_) != 0) return error("fsync");
  return Status::ok();
}

}  // namespace runnel::broker
