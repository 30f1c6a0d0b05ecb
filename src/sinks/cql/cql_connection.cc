#include "sinks/cql/cql_connection.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/logging.h"
#include "cql/frame.h"
#include "cql/wire_reader.h"
#include "sinks/cql/cql_messages.h"

namespace runnel::sinks {
namespace {

constexpr int kProtocolVersion = 4;
// How often the reader wakes to time out overdue requests.
constexpr int kReaderTickMillis = 50;

std::string errno_text() { return std::strerror(errno); }

Status deadline_exceeded(std::string message) {
  return {StatusCode::kDeadlineExceeded, std::move(message)};
}

// Waits for a non-blocking connect to finish; the socket's error, or
// ETIMEDOUT.
int finish_connect(int fd, std::chrono::milliseconds timeout) {
  pollfd poller{fd, POLLOUT, 0};
  int ready = ::poll(&poller, 1, static_cast<int>(timeout.count()));
  if (ready == 0) return ETIMEDOUT;
  if (ready < 0) return errno;
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
  return error;
}

// A connected, blocking TCP socket with TCP_NODELAY and keepalive, whose
// sends give up after `send_timeout`.
Result<int> connect_socket(const Endpoint& endpoint, std::chrono::milliseconds connect_timeout,
                           std::chrono::milliseconds send_timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* addresses = nullptr;
  std::string port = std::to_string(endpoint.port);
  int resolved = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &addresses);
  if (resolved != 0) {
    return unavailable("cql: cannot resolve " + endpoint.host + ": " + gai_strerror(resolved));
  }
  std::string failure = "no address";
  int connected = -1;
  for (addrinfo* address = addresses; address != nullptr && connected < 0;
       address = address->ai_next) {
    int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                      address->ai_protocol);
    if (fd < 0) {
      failure = errno_text();
      continue;
    }
    int error = ::connect(fd, address->ai_addr, address->ai_addrlen) == 0 ? 0 : errno;
    if (error == EINPROGRESS) error = finish_connect(fd, connect_timeout);
    if (error != 0) {
      failure = std::strerror(error);
      ::close(fd);
      continue;
    }
    connected = fd;
  }
  ::freeaddrinfo(addresses);
  if (connected < 0) {
    return unavailable("cql: cannot connect to " + endpoint.to_string() + ": " + failure);
  }
  ::fcntl(connected, F_SETFL, ::fcntl(connected, F_GETFL) & ~O_NONBLOCK);
  int on = 1;
  ::setsockopt(connected, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  ::setsockopt(connected, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  timeval send_limit{};
  send_limit.tv_sec = send_timeout.count() / 1000;
  send_limit.tv_usec = (send_timeout.count() % 1000) * 1000;
  ::setsockopt(connected, SOL_SOCKET, SO_SNDTIMEO, &send_limit, sizeof send_limit);
  return connected;
}

// The body without what the header's flags put before it (section 2.2):
// a tracing id, warnings, a custom payload.
Result<std::string_view> strip_prefixes(std::uint8_t flags, std::string_view body) {
  if (flags & cql::kFlagCompression) {
    return data_loss("cql: a compressed response, though no compression was asked for");
  }
  cql::WireReader in(body);
  if (flags & cql::kFlagTracing) in.read_uuid();
  if (flags & cql::kFlagWarning) {
    for (const std::string& warning : in.read_string_list()) {
      spdlog::debug("cql: the node warns: {}", warning);
    }
  }
  if (flags & cql::kFlagCustomPayload) in.read_bytes_map();
  if (!in.ok()) return data_loss("cql: response prefixes: " + in.error());
  return body.substr(in.position());
}

}  // namespace

Result<std::unique_ptr<CqlConnection>> CqlConnection::open(const Endpoint& endpoint,
                                                           const CqlConnectionOptions& options) {
  auto fd = connect_socket(endpoint, options.connect_timeout, options.request_timeout);
  if (!fd) return fd.status();
  std::unique_ptr<CqlConnection> connection(new CqlConnection(endpoint, options, *fd));
  connection->reader_ = std::thread([raw = connection.get()] { raw->read_responses(); });
  if (Status status = connection->handshake(); !status.is_ok()) return status;
  return connection;
}

CqlConnection::CqlConnection(Endpoint endpoint, CqlConnectionOptions options, int fd)
    : endpoint_(std::move(endpoint)), options_(std::move(options)), fd_(fd) {
  int ids = std::clamp(options_.max_in_flight, 1, 32768);
  for (int id = ids - 1; id >= 0; --id) free_ids_.push_back(static_cast<std::int16_t>(id));
}

CqlConnection::~CqlConnection() {
  close("the connection was closed");
  if (reader_.joinable()) reader_.join();
  ::close(fd_);
}

Status CqlConnection::handshake() {
  auto supported = call(cql::Opcode::kOptions, {});
  if (!supported) return supported.status();
  if (supported->opcode != cql::Opcode::kSupported) {
    return data_loss("cql: " + endpoint_.to_string() + " answered OPTIONS with " +
                     std::string(cql::opcode_name(supported->opcode)));
  }
  auto started = call(cql::Opcode::kStartup, startup_body());
  if (!started) return started.status();
  if (started->opcode == cql::Opcode::kReady) return Status::ok();
  if (started->opcode == cql::Opcode::kError) {
    auto error = decode_response(started->opcode, started->body);
    if (!error) return error.status();
    return unavailable("cql: " + endpoint_.to_string() +
                       " refused STARTUP: " + describe(std::get<store::CqlError>(*error)));
  }
  if (started->opcode != cql::Opcode::kAuthenticate) {
    return data_loss("cql: " + endpoint_.to_string() + " answered STARTUP with " +
                     std::string(cql::opcode_name(started->opcode)));
  }
  cql::WireReader authenticator_reader(started->body);
  std::string authenticator = authenticator_reader.read_string();
  if (options_.user.empty()) {
    return invalid_argument("cql: " + endpoint_.to_string() + " requires credentials (" +
                            authenticator + "); give a user and password");
  }
  auto authenticated =
      call(cql::Opcode::kAuthResponse, auth_response_body(options_.user, options_.password));
  if (!authenticated) return authenticated.status();
  if (authenticated->opcode == cql::Opcode::kAuthSuccess) return Status::ok();
  if (authenticated->opcode == cql::Opcode::kError) {
    auto error = decode_response(authenticated->opcode, authenticated->body);
    if (!error) return error.status();
    return invalid_argument("cql: " + endpoint_.to_string() + " rejected user " + options_.user +
                            ": " + describe(std::get<store::CqlError>(*error)));
  }
  return data_loss("cql: " + endpoint_.to_string() + " answered AUTH_RESPONSE with " +
                   std::string(cql::opcode_name(authenticated->opcode)) +
                   "; only PasswordAuthenticator's one-step SASL PLAIN is supported");
}

Result<CqlFrame> CqlConnection::call(cql::Opcode opcode, std::string_view body) {
  return send(opcode, body).get();
}

std::future<Result<CqlFrame>> CqlConnection::send(cql::Opcode opcode, std::string_view body) {
  std::promise<Result<CqlFrame>> promise;
  std::future<Result<CqlFrame>> future = promise.get_future();
  std::int16_t stream = 0;
  {
    std::unique_lock lock(mutex_);
    auto deadline = std::chrono::steady_clock::now() + options_.request_timeout;
    bool ready = id_freed_.wait_until(lock, deadline,
                                      [&] { return closed_.has_value() || !free_ids_.empty(); });
    if (closed_) {
      promise.set_value(unavailable(*closed_));
      return future;
    }
    if (!ready) {
      promise.set_value(deadline_exceeded("cql: " + endpoint_.to_string() + " answered none of " +
                                          std::to_string(pending_.size()) +
                                          " requests in flight in time"));
      return future;
    }
    stream = free_ids_.back();
    free_ids_.pop_back();
    pending_[stream] = Pending{std::move(promise), deadline};
  }
  cql::FrameHeader header;
  header.version = kProtocolVersion;
  header.stream = stream;
  header.opcode = opcode;
  std::string frame = cql::encode_frame(header, body);
  std::lock_guard write_lock(write_mutex_);
  for (size_t sent = 0; sent < frame.size();) {
    ssize_t n = ::send(fd_, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close("cql: sending to " + endpoint_.to_string() +
            " failed: " + (errno == EAGAIN ? std::string("timed out") : errno_text()));
      break;
    }
    sent += static_cast<size_t>(n);
  }
  return future;
}

bool CqlConnection::is_open() const {
  std::lock_guard lock(mutex_);
  return !closed_.has_value();
}

int CqlConnection::in_flight() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(pending_.size());
}

void CqlConnection::read_responses() {
  std::string buffer;
  char chunk[64 * 1024];
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
    }
    pollfd poller{fd_, POLLIN, 0};
    int ready = ::poll(&poller, 1, kReaderTickMillis);
    expire_overdue();
    if (ready < 0 && errno != EINTR) {
      close("cql: polling " + endpoint_.to_string() + " failed: " + errno_text());
      return;
    }
    if (ready <= 0) continue;
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n == 0) {
      close("cql: " + endpoint_.to_string() + " closed the connection");
      return;
    }
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      close("cql: connection to " + endpoint_.to_string() + " lost: " + errno_text());
      return;
    }
    buffer.append(chunk, static_cast<size_t>(n));
    if (Status status = dispatch_frames(buffer); !status.is_ok()) {
      close(status.message());
      return;
    }
  }
}

Status CqlConnection::dispatch_frames(std::string& buffer) {
  size_t position = 0;
  while (buffer.size() - position >= cql::kFrameHeaderSize) {
    std::string_view rest = std::string_view(buffer).substr(position);
    cql::FrameHeader header = cql::decode_frame_header(rest);
    if (header.version != kProtocolVersion) {
      return data_loss("cql: " + endpoint_.to_string() + " answered in protocol v" +
                       std::to_string(header.version) + "; this client speaks v4 only");
    }
    if (Status status = cql::check_frame_header(header, true, cql::kDefaultMaxFrameBodyBytes);
        !status.is_ok()) {
      return data_loss("cql: from " + endpoint_.to_string() + ": " + status.message());
    }
    if (rest.size() - cql::kFrameHeaderSize < header.body_length) break;
    std::string_view body = rest.substr(cql::kFrameHeaderSize, header.body_length);
    position += cql::kFrameHeaderSize + header.body_length;
    // Negative stream ids carry events, which this client never registers for.
    if (header.stream < 0) continue;
    auto stripped = strip_prefixes(header.flags, body);
    if (!stripped) {
      complete(header.stream, stripped.status());
    } else {
      complete(header.stream, CqlFrame{header.opcode, std::string(*stripped)});
    }
  }
  buffer.erase(0, position);
  return Status::ok();
}

void CqlConnection::complete(std::int16_t stream, Result<CqlFrame> response) {
  std::lock_guard lock(mutex_);
  auto pending = pending_.find(stream);
  if (pending == pending_.end()) return;
  if (pending->second.promise) pending->second.promise->set_value(std::move(response));
  pending_.erase(pending);
  free_ids_.push_back(stream);
  id_freed_.notify_one();
}

void CqlConnection::expire_overdue() {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  for (auto& [stream, pending] : pending_) {
    if (!pending.promise || pending.deadline > now) continue;
    pending.promise->set_value(
        deadline_exceeded("cql: " + endpoint_.to_string() + " did not answer within " +
                          std::to_string(options_.request_timeout.count()) + " ms"));
    pending.promise.reset();
  }
}

void CqlConnection::close(const std::string& reason) {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = reason;
  ::shutdown(fd_, SHUT_RDWR);
  for (auto& [stream, pending] : pending_) {
    if (pending.promise) pending.promise->set_value(unavailable(reason));
  }
  pending_.clear();
  id_freed_.notify_all();
}

}  // namespace runnel::sinks
