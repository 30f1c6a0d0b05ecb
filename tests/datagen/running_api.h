// The randomuser API served over HTTP on a free loopback port, on its own
// thread, for the duration of a test.
#pragma once

#include <string>
#include <thread>

#include "common/http_server.h"
#include "datagen/randomuser_api.h"

namespace runnel::datagen::testing {

class RunningApi {
 public:
  explicit RunningApi(RandomUserApiOptions options = {})
      : api_(options),
        server_({.listen = {"127.0.0.1", 0}, .threads = 2},
                [this](const HttpRequest& request, HttpResponse& response) {
                  api_.handle(request, response);
                }) {
    auto port = server_.bind();
    port_ = port.is_ok() ? *port : 0;
    thread_ = std::thread([this] { server_.serve(); });
  }
  ~RunningApi() {
    server_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/"; }

 private:
  RandomUserApi api_;
  HttpServer server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace runnel::datagen::testing
