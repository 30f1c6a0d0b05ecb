#include "store/server/connection.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "cql/wire_reader.h"
#include "store/server/responses.h"

namespace runnel::store::server {

namespace asio = boost::asio;
using boost::system::error_code;
using cql::FrameHeader;
using cql::Opcode;

namespace {

constexpr std::uint8_t kMinVersion = 3;
constexpr std::uint8_t kMaxVersion = 4;
constexpr std::size_t kMaxIdleSessions = 16;
// What one read asks the socket for, at most (unless a frame is larger).
constexpr std::size_t kReadChunkBytes = 64 << 10;

bool is_statement(Opcode opcode) {
  return opcode == Opcode::kQuery || opcode == Opcode::kPrepare || opcode == Opcode::kExecute ||
         opcode == Opcode::kBatch;
}

// A frame header of protocol v1 and v2: 8 bytes, a one-byte stream id.
std::string legacy_frame(std::uint8_t version, std::int16_t stream, Opcode opcode,
                         const std::string& body) {
  std::string frame;
  frame.push_back(static_cast<char>(version | 0x80));
  frame.push_back(0);
  frame.push_back(static_cast<char>(stream & 0xff));
  frame.push_back(static_cast<char>(opcode));
  auto length = static_cast<std::uint32_t>(body.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    frame.push_back(static_cast<char>((length >> shift) & 0xff));
  }
  return frame + body;
}

// A statement handed to a worker thread. The worker fills in the session
// and response, then wakes the connection on its io thread.
struct Job {
  explicit Job(const asio::any_io_executor& io) : finished(io) {}
  std::unique_ptr<Session> session;
  StatementResponse response;
  bool done = false;            // io thread only
  asio::steady_timer finished;  // io thread only
};

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, ServerContext& context)
    : socket_(std::move(socket)),
      context_(context),
      writer_wake_(socket_.get_executor()),
      reader_wake_(socket_.get_executor()) {
  error_code error;
  auto remote = socket_.remote_endpoint(error);
  peer_ = error ? "unknown" : remote.address().to_string() + ":" + std::to_string(remote.port());
  socket_.set_option(asio::ip::tcp::no_delay(true), error);
  // Asynchronous operations do not mind; end_batch()'s write must not block.
  socket_.non_blocking(true, error);
}

asio::awaitable<void> Connection::run() {
  auto self = shared_from_this();
  asio::co_spawn(
      socket_.get_executor(), [self] { return self->write_responses(); }, asio::detached);
  co_await read_requests();
  if (!closing_) close();
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  writer_wake_.cancel();
  reader_wake_.cancel();
}

void Connection::close_after_flush() {
  closing_ = true;
  writer_wake_.cancel();
}

asio::awaitable<void> Connection::wait(asio::steady_timer& timer) {
  timer.expires_at(asio::steady_timer::time_point::max());
  error_code cancelled;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
}

void Connection::queue(std::string frame) {
  if (closed_) return;
  output_ += frame;
  // While frames already read are being served, end_batch() sends what
  // they answered; otherwise the writer does.
  if (!batching_) writer_wake_.cancel();
}

void Connection::begin_batch() { batching_ = true; }

void Connection::end_batch() {
  batching_ = false;
  if (output_.empty() || closed_) return;
  if (!writing_) {
    // The socket is non-blocking: this sends what fits now and never waits.
    error_code error;
    std::size_t written = socket_.write_some(asio::buffer(output_), error);
    if (error && error != asio::error::would_block && error != asio::error::try_again) {
      close();
      return;
    }
    output_.erase(0, written);
  }
  if (!output_.empty()) writer_wake_.cancel();
}

void Connection::respond(const FrameHeader& request, Opcode opcode, const std::string& body) {
  FrameHeader header{*version_, true, 0, request.stream, opcode, 0};
  queue(cql::encode_frame(header, body, compression_));
}

void Connection::respond_protocol_error(const FrameHeader& request, std::string_view message) {
  spdlog::debug("protocol error for {} on stream {}: {}", peer_, request.stream, message);
  respond(request, Opcode::kError, protocol_error_body(message));
}

void Connection::refuse_version(std::uint8_t version, std::int16_t stream) {
  std::string message = "Invalid or unsupported protocol version (" + std::to_string(version) +
                        "); supported versions are (3/v3, 4/v4)";
  spdlog::debug("refusing connection from {}: {}", peer_, message);
  std::string body = protocol_error_body(message);
  // A client older than the server reads the answer in its own version;
  // a newer one reads it in the newest the server speaks.
  if (version < kMinVersion && version > 0) {
    queue(legacy_frame(version, stream, Opcode::kError, body));
  } else {
    queue(cql::encode_frame(FrameHeader{kMaxVersion, true, 0, stream, Opcode::kError, 0}, body));
  }
  close_after_flush();
}

void Connection::push_schema_change(const SchemaChange& change) {
  if (!schema_events_ || closing_) return;
  FrameHeader header{*version_, true, 0, -1, Opcode::kEvent, 0};
  queue(cql::encode_frame(header, schema_change_event_body(change), compression_));
}

asio::awaitable<bool> Connection::fill(std::size_t bytes) {
  if (buffered() >= bytes) co_return true;
  // Before waiting for the client, what the frames served so far answered
  // goes out.
  end_batch();
  if (input_begin_ > 0) {
    std::memmove(input_.data(), input_.data() + input_begin_, input_end_ - input_begin_);
    input_end_ -= input_begin_;
    input_begin_ = 0;
  }
  // A frame larger than a read chunk gets a buffer of its own size; the
  // buffer shrinks back once such a frame has been served.
  const std::size_t capacity = std::max(bytes, kReadChunkBytes);
  if (input_.size() > 4 * capacity && input_end_ <= capacity) {
    input_.resize(capacity);
    input_.shrink_to_fit();
  }
  if (input_.size() < capacity) input_.resize(capacity);
  while (input_end_ < bytes) {
    error_code error;
    std::size_t read = co_await socket_.async_read_some(
        asio::buffer(input_.data() + input_end_, input_.size() - input_end_),
        asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return false;  // the peer closed, or close() was called
    input_end_ += read;
  }
  begin_batch();
  co_return true;
}

asio::awaitable<void> Connection::read_requests() {
  auto self = shared_from_this();
  const std::uint32_t max_body = context_.config.max_frame_bytes;
  for (;;) {
    while ((in_flight_ >= kMaxInFlight || output_.size() > kMaxQueuedOutputBytes) && !closing_) {
      end_batch();
      co_await wait(reader_wake_);
    }
    if (closing_) co_return;

    // The first 8 bytes hold the version; v1 and v2 headers are 8 bytes
    // long, v3 and later 9.
    if (buffered() < 8 && !co_await fill(8)) co_return;
    const char* header_bytes = input_.data() + input_begin_;
    auto version = static_cast<std::uint8_t>(header_bytes[0] & 0x7f);
    if (!version_ && (version < kMinVersion || version > kMaxVersion)) {
      auto stream = static_cast<std::int16_t>(
          version < kMinVersion ? static_cast<std::uint8_t>(header_bytes[2])
                                : (static_cast<std::uint8_t>(header_bytes[2]) << 8) |
                                      static_cast<std::uint8_t>(header_bytes[3]));
      refuse_version(version, stream);
      co_return;
    }
    if (buffered() < cql::kFrameHeaderSize && !co_await fill(cql::kFrameHeaderSize)) co_return;
    FrameHeader header = cql::decode_frame_header(
        std::string_view(input_.data() + input_begin_, cql::kFrameHeaderSize));
    if (!version_) version_ = header.version;
    if (header.version != *version_) {
      std::string message = "Invalid message version. Got " + std::to_string(header.version) +
                            " but previous messages on this connection had version " +
                            std::to_string(*version_);
      spdlog::warn("closing connection from {}: {}", peer_, message);
      respond_protocol_error(header, message);
      close_after_flush();
      co_return;
    }
    if (header.body_length > max_body || header.body_length > 0x7fffffffu) {
      std::string message = "Request is too big: length " + std::to_string(header.body_length) +
                            " exceeds maximum allowed length " + std::to_string(max_body);
      spdlog::warn("closing connection from {}: {}", peer_, message);
      respond_protocol_error(header, message);
      close_after_flush();
      co_return;
    }
    const std::size_t frame_size = cql::kFrameHeaderSize + header.body_length;
    if (buffered() < frame_size && !co_await fill(frame_size)) {
      if (!closing_) spdlog::warn("closing connection from {}: frame body cut short", peer_);
      co_return;
    }
    co_await serve(header, std::string_view(input_.data() + input_begin_ + cql::kFrameHeaderSize,
                                            header.body_length));
    input_begin_ += frame_size;
  }
}

asio::awaitable<void> Connection::serve(FrameHeader header, std::string_view body) {
  if (Status valid = cql::check_frame_header(header, false, context_.config.max_frame_bytes);
      !valid.is_ok()) {
    respond_protocol_error(header, valid.message());
    co_return;
  }
  std::string decompressed;
  if (header.flags & cql::kFlagCompression) {
    if (compression_ == cql::Compression::kNone) {
      respond_protocol_error(header, "Compressed frame, but no compression was agreed in STARTUP");
      co_return;
    }
    auto plain = cql::decompress_lz4_body(body, context_.config.max_frame_bytes);
    if (!plain.is_ok()) {
      respond_protocol_error(header, plain.status().message());
      co_return;
    }
    decompressed = std::move(*plain);
    body = decompressed;
  }
  cql::WireReader reader(body);
  // A custom payload (for a custom QueryHandler) comes first; it is ignored.
  if (header.flags & cql::kFlagCustomPayload) reader.read_bytes_map();
  if (!is_statement(header.opcode)) {
    handshake(header, reader);
    co_return;
  }
  if (phase_ != Phase::kReady) {
    respond_protocol_error(
        header, phase_ == Phase::kStartup
                    ? "Unexpected message " + std::string(cql::opcode_name(header.opcode)) +
                          ", expecting STARTUP or OPTIONS"
                    : "Unexpected message " + std::string(cql::opcode_name(header.opcode)) +
                          ", expecting AUTH_RESPONSE");
    co_return;
  }
  StatementRequest request;
  bool use = false;
  switch (header.opcode) {
    case Opcode::kQuery: {
      QueryRequest query = read_query(reader, *version_);
      use = is_use_statement(query.cql);
      request = std::move(query);
      break;
    }
    case Opcode::kPrepare:
      request = PrepareRequest{read_prepare(reader)};
      break;
    case Opcode::kExecute:
      request = read_execute(reader, *version_);
      break;
    default:
      request = read_batch(reader, *version_);
      break;
  }
  if (!reader.ok()) {
    respond_protocol_error(header, "Malformed " + std::string(cql::opcode_name(header.opcode)) +
                                       " message: " + reader.error());
    co_return;
  }
  ++in_flight_;
  if (use) {
    // USE changes the keyspace of what follows: it runs alone, after what
    // came before it and before anything after it.
    end_batch();
    while (in_flight_ > 1 && !closed_) co_await wait(reader_wake_);
    co_await run_on_worker(header, std::move(request));
    co_return;
  }
  if (const auto* execute = std::get_if<ExecuteRequest>(&request);
      execute && context_.store.is_single_partition_read(execute->prepared_id)) {
    // A single-partition read costs less than the two thread hand-offs a
    // worker takes, so it runs here.
    std::unique_ptr<Session> session = take_session();
    StatementResponse response = run_statement(*session, keyspace_, request, header, compression_);
    finish(std::move(session), std::move(response));
    co_return;
  }
  auto self = shared_from_this();
  asio::co_spawn(
      socket_.get_executor(),
      [self, header, request = std::move(request)]() mutable {
        return self->run_on_worker(header, std::move(request));
      },
      asio::detached);
}

std::unique_ptr<Session> Connection::take_session() {
  if (idle_sessions_.empty()) return context_.store.open_session();
  std::unique_ptr<Session> session = std::move(idle_sessions_.back());
  idle_sessions_.pop_back();
  return session;
}

void Connection::finish(std::unique_ptr<Session> session, StatementResponse response) {
  --in_flight_;
  reader_wake_.cancel();
  if (idle_sessions_.size() < kMaxIdleSessions) idle_sessions_.push_back(std::move(session));
  if (response.keyspace) keyspace_ = *response.keyspace;
  queue(std::move(response.frame));
  if (response.schema_change) context_.broadcast_schema_change(*response.schema_change);
}

asio::awaitable<void> Connection::run_on_worker(FrameHeader header, StatementRequest request) {
  auto self = shared_from_this();
  auto job = std::make_shared<Job>(socket_.get_executor());
  job->session = take_session();
  asio::post(context_.workers, [job, keyspace = keyspace_, header, compression = compression_,
                                request = std::move(request)] {
    job->response = run_statement(*job->session, keyspace, request, header, compression);
    asio::post(job->finished.get_executor(), [job] {
      job->done = true;
      job->finished.cancel();
    });
  });
  while (!job->done) co_await wait(job->finished);
  finish(std::move(job->session), std::move(job->response));
}

void Connection::handshake(const FrameHeader& header, cql::WireReader& reader) {
  switch (header.opcode) {
    case Opcode::kOptions:
      respond(header, Opcode::kSupported,
              supported_body({{"CQL_VERSION", {"3.4.5"}},
                              {"COMPRESSION", {"lz4"}},
                              {"PROTOCOL_VERSIONS", {"3/v3", "4/v4"}}}));
      return;
    case Opcode::kStartup: {
      auto options = read_startup(reader);
      if (!reader.ok()) {
        respond_protocol_error(header, "Malformed STARTUP message: " + reader.error());
        return;
      }
      if (phase_ != Phase::kStartup) {
        respond_protocol_error(header, "Unexpected message STARTUP, the connection is started");
        return;
      }
      auto cql_version = options.find("CQL_VERSION");
      if (cql_version == options.end()) {
        respond_protocol_error(header, "Missing value CQL_VERSION in STARTUP message");
        return;
      }
      if (!cql_version->second.starts_with("3.")) {
        respond_protocol_error(
            header, "Unsupported CQL version " + cql_version->second + "; supported: 3.4.5");
        return;
      }
      if (auto compression = options.find("COMPRESSION");
          compression != options.end() && !compression->second.empty()) {
        if (compression->second != "lz4") {
          respond_protocol_error(header, "Unknown compression algorithm: " + compression->second);
          return;
        }
        compression_ = cql::Compression::kLz4;
      }
      if (context_.config.credentials) {
        phase_ = Phase::kAuthenticating;
        respond(header, Opcode::kAuthenticate, authenticate_body(kPasswordAuthenticator));
      } else {
        phase_ = Phase::kReady;
        respond(header, Opcode::kReady, "");
      }
      return;
    }
    case Opcode::kAuthResponse: {
      std::string token = read_auth_response(reader);
      if (!reader.ok()) {
        respond_protocol_error(header, "Malformed AUTH_RESPONSE message: " + reader.error());
        return;
      }
      if (phase_ != Phase::kAuthenticating) {
        respond_protocol_error(header, "Unexpected message AUTH_RESPONSE");
        return;
      }
      if (!accepts_plain_token(*context_.config.credentials, token)) {
        spdlog::info("authentication failed for {}", peer_);
        respond(header, Opcode::kError,
                error_body(CqlError{cql::ErrorCode::kBadCredentials,
                                    "Provided username and/or password are incorrect",
                                    {},
                                    {},
                                    {}}));
        return;
      }
      phase_ = Phase::kReady;
      respond(header, Opcode::kAuthSuccess, auth_success_body());
      return;
    }
    case Opcode::kRegister: {
      auto events = read_register(reader);
      if (!reader.ok()) {
        respond_protocol_error(header, "Malformed REGISTER message: " + reader.error());
        return;
      }
      if (phase_ != Phase::kReady) {
        respond_protocol_error(header,
                               "Unexpected message REGISTER before the connection is ready");
        return;
      }
      for (const auto& event : events) {
        if (event != "SCHEMA_CHANGE" && event != "TOPOLOGY_CHANGE" && event != "STATUS_CHANGE") {
          respond_protocol_error(header, "Invalid value '" + event + "' for Type");
          return;
        }
      }
      for (const auto& event : events) schema_events_ |= event == "SCHEMA_CHANGE";
      respond(header, Opcode::kReady, "");
      return;
    }
    default:
      respond_protocol_error(
          header,
          "Unexpected message " + std::string(cql::opcode_name(header.opcode)) + ": not a request");
      return;
  }
}

asio::awaitable<void> Connection::write_responses() {
  auto self = shared_from_this();
  for (;;) {
    while (!output_.empty() && !closed_) {
      std::string frames = std::move(output_);
      output_.clear();
      error_code error;
      writing_ = true;
      co_await asio::async_write(socket_, asio::buffer(frames),
                                 asio::redirect_error(asio::use_awaitable, error));
      writing_ = false;
      if (error) {
        close();
        co_return;
      }
      reader_wake_.cancel();
    }
    if (closed_) co_return;
    if (closing_) {
      close();
      co_return;
    }
    co_await wait(writer_wake_);
  }
}

}  // namespace runnel::store::server
