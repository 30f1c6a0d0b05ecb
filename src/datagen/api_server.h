// The randomuser API 1.4 over HTTP: GET /api/ and /api/1.4/ with the same
// query parameters, content types and error bodies ({"error": "..."}) as
// randomuser.me. Built on cpp-httplib's thread pool; slow clients are cut
// off by read and write timeouts, so they cannot hold a worker for long.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "common/endpoint.h"
#include "common/status.h"

namespace runnel::datagen {

struct ApiServerOptions {
  Endpoint listen{"127.0.0.1", 8000};
  int threads = 32;
  // Users one client address may fetch per minute; 0 means no limit. Over
  // the limit a request gets 429, as randomuser.me answers.
  std::int64_t max_users_per_minute = 0;
  std::chrono::seconds read_timeout{5};
  std::chrono::seconds write_timeout{10};
  std::chrono::seconds keep_alive_timeout{5};
};

class ApiServer {
 public:
  explicit ApiServer(ApiServerOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds the listening socket; answers the bound port (useful with port 0).
  Result<std::uint16_t> bind();
  // Serves until stop(). REQUIRES: bind() succeeded.
  Status serve();
  // Thread-safe; serve() returns soon after.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace runnel::datagen
