// A small HTTP/1.1 server on Boost.Beast and Asio C++20 coroutines, for the
// REST-style APIs runnel serves (the randomuser API now, the console and the
// Airflow-style API later). One coroutine per connection, keep-alive, limits
// on header and body sizes and on connections, and timeouts, so slow,
// half-closed or garbage-sending clients cost a socket, never a thread.
// Socket I/O runs on one thread; handlers run on a pool of `threads`
// threads, so a handler that computes for a while (generating 5000 users)
// holds up no other connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/endpoint.h"
#include "common/status.h"

namespace runnel {

struct HttpRequest {
  std::string method;  // "GET"
  std::string target;  // "/api/?results=3"
  std::string path;    // "/api/"
  // Decoded query parameters in order of appearance; a name may repeat.
  std::vector<std::pair<std::string, std::string>> query;
  std::string remote_address;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Answers every request; an exception becomes a 500 with a JSON error body.
using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

struct HttpServerOptions {
  Endpoint listen{"127.0.0.1", 0};
  int threads = 2;  // for handlers
  std::chrono::seconds read_timeout{10};   // to receive one whole request
  std::chrono::seconds write_timeout{30};  // to send one whole response
  std::chrono::seconds idle_timeout{15};   // keep-alive connection with no request
  std::uint32_t max_header_bytes = 16 * 1024;
  std::uint64_t max_body_bytes = 64 * 1024;
  int max_connections = 1024;
};

// `{"error":"<message>"}`, the body of every error the servers send.
std::string json_error_body(std::string_view message);

// Splits "a=1&b=%20x+y" into decoded pairs.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; answers the bound port (useful with port 0).
  Result<std::uint16_t> bind();
  // Serves until stop(). REQUIRES: bind() succeeded.
  void serve();
  // Thread-safe, also before serve(): serve() returns soon after.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace runnel
