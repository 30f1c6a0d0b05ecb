#include "broker_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace runnel::stream::testing {
namespace {

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "broker process: %s\n", message.c_str());
  std::abort();
}

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = loopback(0);
  socklen_t size = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    fail("no free port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

bool accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = loopback(port);
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

}  // namespace

BrokerProcess::BrokerProcess() {
  const char* from_environment = std::getenv("RUNNEL_BINARY");
  const std::string binary = from_environment ? from_environment : RUNNEL_BINARY_PATH;
  char pattern[] = "/tmp/runnel-stream-test-XXXXXX";
  if (!mkdtemp(pattern)) fail("mkdtemp failed");
  data_dir_ = pattern;
  const int port = free_port();
  bootstrap_ = "127.0.0.1:" + std::to_string(port);
  const std::string log = data_dir_ + ".log";

  pid_ = fork();
  if (pid_ < 0) fail("fork failed");
  if (pid_ == 0) {
    if (!std::freopen(log.c_str(), "w", stdout) || !std::freopen(log.c_str(), "a", stderr)) {
      _exit(127);
    }
    execl(binary.c_str(), binary.c_str(), "broker", "--listen", bootstrap_.c_str(), "--data-dir",
          data_dir_.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!accepts(port)) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) fail(binary + " exited; see " + log);
    if (std::chrono::steady_clock::now() > deadline) fail(binary + " did not listen; see " + log);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

BrokerProcess::~BrokerProcess() {
  kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (waitpid(pid_, &status, WNOHANG) != pid_) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::error_code ignored;
  std::filesystem::remove_all(data_dir_, ignored);
  std::filesystem::remove(data_dir_ + ".log", ignored);
}

}  // namespace runnel::stream::testing
