// The randomuser API 1.4 over HTTP: GET /api/ and /api/1.4/ with the same
// query parameters, content types and error bodies ({"error": "..."}) as
// randomuser.me. Served by common/http_server.h.
#pragma once

#include <cstdint>
#include <memory>

#include "common/endpoint.h"
#include "common/status.h"

namespace runnel::datagen {

struct ApiServerOptions {
  Endpoint listen{"127.0.0.1", 8000};
  int threads = 2;  // generation is CPU-bound: about one per core
  // Users one client address may fetch per minute; 0 means no limit. Over
  // the limit a request gets 429, as randomuser.me answers.
  std::int64_t max_users_per_minute = 0;
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
  void serve();
  // Thread-safe; serve() returns soon after.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace runnel::datagen
