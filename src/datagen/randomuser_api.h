// The randomuser API 1.4 as an HTTP handler: GET /api/ and /api/1.4/ with the
// same query parameters, content types and error bodies ({"error": "..."}) as
// randomuser.me. Served by common/http_server.h (`runnel datagen serve`), and
// mountable in any other runnel HTTP server.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "common/http_server.h"

namespace runnel::datagen {

struct RandomUserApiOptions {
  // Users one client address may fetch per minute; 0 means no limit. Over
  // the limit a request gets 429, as randomuser.me answers.
  std::int64_t max_users_per_minute = 0;
};

class RandomUserApi {
 public:
  explicit RandomUserApi(RandomUserApiOptions options = {});
  ~RandomUserApi();
  RandomUserApi(const RandomUserApi&) = delete;
  RandomUserApi& operator=(const RandomUserApi&) = delete;

  // Answers one request. Thread-safe.
  void handle(const HttpRequest& request, HttpResponse& response);

 private:
  void respond_with_users(const HttpRequest& request, std::string_view version,
                          HttpResponse& response);

  class RateLimiter;
  std::unique_ptr<RateLimiter> limiter_;
};

}  // namespace runnel::datagen
