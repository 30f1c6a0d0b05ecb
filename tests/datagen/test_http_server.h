// A real HTTP server on a free loopback port, run on its own thread for the
// duration of a test: the stage for faulty randomuser-compatible services.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>

namespace runnel::datagen::testing {

class TestHttpServer {
 public:
  explicit TestHttpServer(const std::function<void(httplib::Server&)>& routes) {
    routes(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~TestHttpServer() {
    server_.stop();
    thread_.join();
  }

  std::string url(const std::string& path = "/api/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace runnel::datagen::testing
