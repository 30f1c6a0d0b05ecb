// A TCP proxy between the PostgreSQL sink and the server that, when armed,
// cuts the connection at a COMMIT: either before the COMMIT reaches the
// server (the transaction never commits) or after the server has answered
// it (the transaction committed but the sink never hears so). Otherwise it
// forwards bytes unchanged. Header-only, for the sink tests.
//
// It finds a COMMIT as the simple-query message 'Q' carrying "COMMIT\0", so
// the data sent through it must not contain that text.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace runnel::sinks::testing {

class CommitCuttingProxy {
 public:
  enum class Cut { kNone, kBeforeCommit, kAfterCommitAnswered };

  explicit CommitCuttingProxy(int server_port) : server_port_(server_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 16);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~CommitCuttingProxy() {
    stopping_ = true;
    acceptor_.join();
    std::lock_guard lock(mutex_);
    for (std::thread& pump : pumps_) pump.join();
    ::close(listener_);
  }

  int port() const { return port_; }

  // Cuts the next COMMIT that passes, then forwards again.
  void arm(Cut cut) { armed_ = cut; }
  // How many COMMITs were cut so far.
  int cuts() const { return cuts_; }

 private:
  static sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    return address;
  }

  void accept_loop() {
    while (!stopping_) {
      pollfd ready{listener_, POLLIN, 0};
      if (::poll(&ready, 1, 50) <= 0) continue;
      int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      int server = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address = loopback(server_port_);
      if (::connect(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(server);
        ::close(client);
        continue;
      }
      std::lock_guard lock(mutex_);
      pumps_.emplace_back([this, client, server] { pump(client, server); });
    }
  }

  static bool send_all(int fd, const char* data, size_t size) {
    while (size > 0) {
      ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
      if (n <= 0) return false;
      data += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }

  // Forwards both ways until either side closes, the proxy stops, or a cut.
  void pump(int client, int server) {
    static constexpr std::string_view kCommit(
        "Q\0\0\0\x0b"
        "COMMIT\0",
        12);
    char buffer[64 * 1024];
    while (!stopping_) {
      pollfd ready[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
      if (::poll(ready, 2, 50) <= 0) continue;
      if (ready[0].revents != 0) {
        ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        std::string_view bytes(buffer, static_cast<size_t>(n));
        Cut cut = armed_;
        if (cut != Cut::kNone && bytes.find(kCommit) != std::string_view::npos) {
          armed_ = Cut::kNone;
          ++cuts_;
          if (cut == Cut::kAfterCommitAnswered) {
            send_all(server, buffer, bytes.size());
            pollfd answer{server, POLLIN, 0};
            if (::poll(&answer, 1, 10'000) > 0) ::recv(server, buffer, sizeof buffer, 0);
          }
          break;
        }
        if (!send_all(server, buffer, bytes.size())) break;
      }
      if (ready[1].revents != 0) {
        ssize_t n = ::recv(server, buffer, sizeof buffer, 0);
        if (n <= 0 || !send_all(client, buffer, static_cast<size_t>(n))) break;
      }
    }
    ::close(client);
    ::close(server);
  }

  int server_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<Cut> armed_{Cut::kNone};
  std::atomic<int> cuts_{0};
  std::mutex mutex_;  // guards pumps_
  std::vector<std::thread> pumps_;
  std::thread acceptor_;
};

}  // namespace runnel::sinks::testing
