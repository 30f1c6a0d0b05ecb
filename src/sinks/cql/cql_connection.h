// One connection to a CQL node, protocol v4. Requests are pipelined: each
// gets a free stream id and many are in flight at once; a reader thread
// matches each response to its request by stream id.
//
// open() connects and performs the handshake (OPTIONS, STARTUP with
// CQL_VERSION 3.0.0, and PasswordAuthenticator's SASL PLAIN when the node
// asks for credentials). A response that takes longer than the request
// timeout completes its request with deadline_exceeded; its stream id stays
// reserved until the late answer arrives, so it is never matched to a newer
// request. When the connection is lost, every request in flight completes
// with unavailable and later sends fail at once.
//
// Safe for concurrent use.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/endpoint.h"
#include "common/status.h"
#include "cql/codes.h"

namespace runnel::sinks {

struct CqlConnectionOptions {
  std::string user;  // empty: no credentials
  std::string password;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{12000};
  // Stream ids in use at once; a send beyond waits for a free one.
  int max_in_flight = 1024;
};

// A response: its opcode and body (without tracing id, warnings or custom
// payload).
struct CqlFrame {
  cql::Opcode opcode = cql::Opcode::kError;
  std::string body;
};

class CqlConnection {
 public:
  // unavailable when the node cannot be reached or hangs up; invalid_argument
  // when it rejects the credentials or wants some it was not given.
  static Result<std::unique_ptr<CqlConnection>> open(const Endpoint& endpoint,
                                                     const CqlConnectionOptions& options);
  ~CqlConnection();
  CqlConnection(const CqlConnection&) = delete;
  CqlConnection& operator=(const CqlConnection&) = delete;

  // Sends a request; the future completes with the response frame, or with
  // unavailable or deadline_exceeded as described above.
  std::future<Result<CqlFrame>> send(cql::Opcode opcode, std::string_view body);

  bool is_open() const;
  int in_flight() const;
  const Endpoint& endpoint() const { return endpoint_; }

 private:
  struct Pending {
    std::optional<std::promise<Result<CqlFrame>>> promise;  // empty once timed out
    std::chrono::steady_clock::time_point deadline;
  };

  CqlConnection(Endpoint endpoint, CqlConnectionOptions options, int fd);
  Status handshake();
  Result<CqlFrame> call(cql::Opcode opcode, std::string_view body);
  void read_responses();
  // Takes the complete frames at the front of `buffer`; an error when the
  // stream of frames is not a v4 server's.
  Status dispatch_frames(std::string& buffer);
  void complete(std::int16_t stream, Result<CqlFrame> response);
  void expire_overdue();
  // Marks the connection lost for `reason` and fails every pending request.
  void close(const std::string& reason);

  const Endpoint endpoint_;
  const CqlConnectionOptions options_;
  const int fd_;
  std::thread reader_;
  std::mutex write_mutex_;  // one frame at a time on the socket

  mutable std::mutex mutex_;
  std::condition_variable id_freed_;
  std::vector<std::int16_t> free_ids_;       // GUARDED_BY(mutex_)
  std::map<std::int16_t, Pending> pending_;  // GUARDED_BY(mutex_)
  std::optional<std::string> closed_;        // GUARDED_BY(mutex_): why
};

}  // namespace runnel::sinks
