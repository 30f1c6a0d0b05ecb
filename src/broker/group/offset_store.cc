#include "broker/group/offset_store.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/crc.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include "broker/protocol/wire.h"

namespace runnel::broker {

namespace {

constexpr const char* kFileName = "commits.log";
constexpr int8_t kRecordVersion = 0;
// Compact on open when the file holds this many records and at least twice
// as many as are live.
constexpr int64_t kCompactionMinRecords = 1024;
// A length beyond this is garbage, not a record.
constexpr uint32_t kMaxPayloadBytes = 1 << 20;

uint32_t crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

Status errno_status(const std::string& what) {
  return internal_error(what + ": " + std::strerror(errno));
}

void append_record(std::string& out, const std::string& group, const std::string& protocol_type,
                   const OffsetCommit& commit) {
  std::string payload;
  WireWriter w(payload);
  w.write_int8(kRecordVersion);
  w.write_string(group, false);
  w.write_string(protocol_type, false);
  w.write_string(commit.topic, false);
  w.write_int32(commit.partition);
  w.write_int64(commit.committed.offset);
  w.write_int32(commit.committed.leader_epoch);
  w.write_string(commit.committed.metadata, false);
  w.write_int64(commit.committed.commit_time_ms);

  WireWriter frame(out);
  frame.write_uint32(static_cast<uint32_t>(payload.size()));
  frame.write_uint32(crc32(payload));
  frame.write_raw(payload);
}

Status write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status("write committed offsets");
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::ok();
}

}  // namespace

OffsetStore::OffsetStore(const std::filesystem::path& data_dir)
    : dir_(data_dir / "__consumer_offsets") {}

OffsetStore::~OffsetStore() {
  sync_thread_.join();
  if (fd_ >= 0) ::close(fd_);
}

Status OffsetStore::open() {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return internal_error("create " + dir_.string() + ": " + ec.message());
  const auto file = dir_ / kFileName;
  if (Status s = load(file); !s.is_ok()) return s;

  int64_t live = 0;
  for (const auto& [group, offsets] : groups_)
    live += static_cast<int64_t>(offsets.partitions.size());
  if (record_count_ >= kCompactionMinRecords && record_count_ >= 2 * live) {
    if (Status s = rewrite_live_records(file); !s.is_ok()) return s;
  }

  fd_ = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return errno_status("open " + file.string());
  // Cut off a torn tail so that new records follow the last whole one.
  if (::ftruncate(fd_, file_size_) != 0) return errno_status("truncate " + file.string());
  return Status::ok();
}

Status OffsetStore::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::ok();  // no commits yet
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return internal_error("read " + file.string());

  WireReader reader(bytes);
  while (reader.remaining() > 0) {
    const uint32_t length = reader.read_uint32();
    const uint32_t crc = reader.read_uint32();
    if (!reader.ok() || length > kMaxPayloadBytes || length > reader.remaining()) break;
    std::string_view payload = reader.read_raw(length);
    if (crc32(payload) != crc) break;

    WireReader p(payload);
    const int8_t version = p.read_int8();
    std::string group = p.read_string(false).value_or("");
    std::string protocol_type = p.read_string(false).value_or("");
    OffsetCommit commit;
    commit.topic = p.read_string(false).value_or("");
    commit.partition = p.read_int32();
    commit.committed.offset = p.read_int64();
    commit.committed.leader_epoch = p.read_int32();
    commit.committed.metadata = p.read_string(false).value_or("");
    commit.committed.commit_time_ms = p.read_int64();
    if (!p.ok() || version != kRecordVersion) break;
    apply(group, protocol_type, commit);
    ++record_count_;
    file_size_ = static_cast<int64_t>(reader.position());
  }
  if (file_size_ < static_cast<int64_t>(bytes.size())) {
    spdlog::warn("{}: ignoring {} bytes of torn or corrupt commit records at offset {}",
                 file.string(), bytes.size() - static_cast<size_t>(file_size_), file_size_);
  }
  return Status::ok();
}

Status OffsetStore::rewrite_live_records(const std::filesystem::path& file) {
  std::string bytes;
  int64_t records = 0;
  for (const auto& [group, offsets] : groups_) {
    for (const auto& [tp, committed] : offsets.partitions) {
      append_record(bytes, group, offsets.protocol_type, {tp.first, tp.second, committed});
      ++records;
    }
  }
  const auto tmp = dir_ / (std::string(kFileName) + ".tmp");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status("open " + tmp.string());
  Status written = write_all(fd, bytes);
  if (written.is_ok() && ::fdatasync(fd) != 0) written = errno_status("sync " + tmp.string());
  ::close(fd);
  if (!written.is_ok()) return written;
  if (::rename(tmp.c_str(), file.c_str()) != 0) return errno_status("rename " + tmp.string());
  int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  spdlog::info("{}: compacted {} commit records to {}", file.string(), record_count_, records);
  record_count_ = records;
  file_size_ = static_cast<int64_t>(bytes.size());
  return Status::ok();
}

boost::asio::awaitable<Status> OffsetStore::commit(const std::string& group,
                                                   const std::string& protocol_type,
                                                   std::vector<OffsetCommit> commits) {
  if (fd_ < 0) co_return unavailable("committed offsets are not open");
  std::string bytes;
  for (const auto& c : commits) append_record(bytes, group, protocol_type, c);
  if (Status s = write_all(fd_, bytes); !s.is_ok()) {
    // Leave no partial record for later appends to follow.
    if (::ftruncate(fd_, file_size_) != 0)
      spdlog::error("truncate committed offsets: {}", std::strerror(errno));
    co_return s;
  }
  file_size_ += static_cast<int64_t>(bytes.size());
  record_count_ += static_cast<int64_t>(commits.size());

  const int fd = fd_;
  const int sync_errno = co_await boost::asio::co_spawn(
      sync_thread_,
      [fd]() -> boost::asio::awaitable<int> { co_return ::fdatasync(fd) == 0 ? 0 : errno; },
      boost::asio::use_awaitable);
  if (sync_errno != 0)
    co_return internal_error(std::string("sync committed offsets: ") + std::strerror(sync_errno));

  for (const auto& c : commits) apply(group, protocol_type, c);
  co_return Status::ok();
}

const OffsetStore::GroupOffsets* OffsetStore::find(const std::string& group) const {
  auto it = groups_.find(group);
  return it == groups_.end() ? nullptr : &it->second;
}

void OffsetStore::apply(const std::string& group, const std::string& protocol_type,
                        const OffsetCommit& commit) {
  GroupOffsets& offsets = groups_[group];
  if (!protocol_type.empty()) offsets.protocol_type = protocol_type;
  offsets.partitions[{commit.topic, commit.partition}] = commit.committed;
}

}  // namespace runnel::broker
