// Fetches users from any randomuser-compatible API (randomuser.me itself, or
// `runnel datagen serve`) with libcurl: batches of up to 5000 per request,
// timeouts, and retries with exponential backoff on connection errors, 5xx,
// 429 (honouring Retry-After) and malformed bodies.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "datagen/api_request.h"
#include "datagen/random_user.h"

namespace runnel::datagen {

inline constexpr std::string_view kRandomUserUrl = "https://randomuser.me/api/";

struct RandomUserClientOptions {
  std::string url{kRandomUserUrl};
  // Parameters sent with every request (nat, gender, seed, inc, ...);
  // results, page and format are the client's own.
  QueryParameters parameters;
  std::int64_t batch_size = kMaxResults;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{30000};  // whole request
  int max_attempts = 5;                      // per batch
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{10000};
};

class RandomUserClient {
 public:
  explicit RandomUserClient(RandomUserClientOptions options);
  ~RandomUserClient();
  RandomUserClient(const RandomUserClient&) = delete;
  RandomUserClient& operator=(const RandomUserClient&) = delete;

  // One request for `results` users (page `page`), retried as above.
  Result<std::vector<RandomUser>> fetch_page(std::int64_t results, std::int64_t page);

  // `count` users in batches; `on_batch` sees each batch and may stop the
  // fetch by answering an error, which fetch() then returns. With a seed in
  // the parameters, batches are consecutive pages, so the result repeats.
  Status fetch(std::int64_t count, const std::function<Status(std::vector<RandomUser>&)>& on_batch);

 private:
  struct Connection;
  RandomUserClientOptions options_;
  std::unique_ptr<Connection> connection_;
};

// Parses a randomuser JSON response body ({"results": [...], ...}). Fields
// left out by inc/exc stay empty. An {"error": "..."} body or malformed JSON
// is an error.
Result<std::vector<RandomUser>> parse_users_response(std::string_view body);

}  // namespace runnel::datagen
