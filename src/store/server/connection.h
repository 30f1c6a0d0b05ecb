// One client connection: reads what the socket holds into a buffer and
// serves each whole frame in it, answers each as soon as it is done (out
// of order: the stream id tells the client which is which) and pushes
// events. Handshake requests (OPTIONS, STARTUP, AUTH_RESPONSE,
// REGISTER) are answered on the io thread in the order they arrive;
// statements run on the worker threads, each on a Session of its own, up to
// kMaxInFlight at once; a prepared single-partition read runs on the io
// thread (Store::is_single_partition_read).
//
// A frame whose header cannot be trusted (a version other than the
// connection's, a body longer than the limit) gets a protocol error and the
// connection is closed: what follows cannot be framed. A well-framed request
// that is wrong (an unknown opcode, a malformed body, a statement before
// STARTUP) gets a protocol error on its stream and the connection goes on.
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cql/frame.h"
#include "store/server/server_context.h"
#include "store/server/statement.h"

namespace runnel::store::server {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  static constexpr int kMaxInFlight = 128;
  // Reading stops while this much is waiting to be written: a client that
  // sends without reading is held up, not buffered without end.
  static constexpr std::size_t kMaxQueuedOutputBytes = 16 << 20;

  Connection(boost::asio::ip::tcp::socket socket, ServerContext& context);

  // Serves until the peer closes, sends a frame that cannot be framed, or
  // close().
  boost::asio::awaitable<void> run();
  void close();

  // Queues a SCHEMA_CHANGE event if the client registered for it.
  void push_schema_change(const SchemaChange& change);

 private:
  enum class Phase { kStartup, kAuthenticating, kReady };

  boost::asio::awaitable<void> read_requests();
  // Reads until at least `bytes` unread bytes are in input_; false when the
  // peer closed first or close() was called.
  boost::asio::awaitable<bool> fill(std::size_t bytes);
  std::size_t buffered() const { return input_end_ - input_begin_; }
  boost::asio::awaitable<void> write_responses();
  // Serves one well-framed request; `body` points into input_ and is read
  // before anything more is.
  boost::asio::awaitable<void> serve(cql::FrameHeader header, std::string_view body);
  boost::asio::awaitable<void> run_on_worker(cql::FrameHeader header, StatementRequest request);
  // An idle session, or a new one.
  std::unique_ptr<Session> take_session();
  // A statement is done: its session goes back, its answer is queued.
  void finish(std::unique_ptr<Session> session, StatementResponse response);
  boost::asio::awaitable<void> wait(boost::asio::steady_timer& timer);

  void respond(const cql::FrameHeader& request, cql::Opcode opcode, const std::string& body);
  void respond_protocol_error(const cql::FrameHeader& request, std::string_view message);
  // Answers a frame in a version the server does not speak, in a form the
  // client can read, and closes once it is written.
  void refuse_version(std::uint8_t version, std::int16_t stream);
  // Sends what is queued, then closes.
  void close_after_flush();
  void queue(std::string frame);
  // Serving frames already read: what they answer is queued without waking
  // the writer, and end_batch() sends it (at once when the socket takes it,
  // the rest by the writer), before the reader next waits. One write then
  // carries the answers to everything one read brought.
  void begin_batch();
  void end_batch();
  void handshake(const cql::FrameHeader& header, cql::WireReader& reader);

  boost::asio::ip::tcp::socket socket_;
  ServerContext& context_;
  std::string peer_;
  std::optional<std::uint8_t> version_;                     // set by the first frame
  cql::Compression compression_ = cql::Compression::kNone;  // set by STARTUP
  Phase phase_ = Phase::kStartup;
  bool schema_events_ = false;
  // The keyspace USE chose; every statement runs in it.
  std::string keyspace_;
  // Sessions not running a statement; a statement takes one or opens one.
  std::vector<std::unique_ptr<Session>> idle_sessions_;
  int in_flight_ = 0;
  // Bytes read and not yet served are input_[input_begin_, input_end_): one
  // read takes in as many frames as the client has sent.
  std::string input_;
  std::size_t input_begin_ = 0;
  std::size_t input_end_ = 0;
  std::string output_;  // frames not yet written
  bool batching_ = false;
  bool writing_ = false;  // the writer's async_write is under way
  boost::asio::steady_timer writer_wake_;
  boost::asio::steady_timer reader_wake_;
  bool closing_ = false;  // no more reads; close once output_ is written
  bool closed_ = false;
};

}  // namespace runnel::store::server
