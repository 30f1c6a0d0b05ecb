#include "broker/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace runnel::broker {

void sync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Status write_file_atomically(const std::filesystem::path& path, const std::string& contents) {
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return internal_error("cannot write " + temporary.string() + ": " + std::strerror(errno));
  }
  bool written =
      ::write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size()) &&
      ::fdatasync(fd) == 0;
  int saved_errno = errno;
  ::close(fd);
  if (!written) {
    return internal_error("cannot write " + temporary.string() + ": " + std::strerror(saved_errno));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return internal_error("cannot rename " + temporary.string() + ": " + error.message());
  sync_directory(path.parent_path());
  return Status::ok();
}

}  // namespace runnel::broker
