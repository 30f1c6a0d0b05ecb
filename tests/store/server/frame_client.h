// A blocking CQL frame client on a plain socket, for tests that need to
// send exactly the bytes they choose (pipelined, malformed, wrong version).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "cql/frame.h"
#include "cql/wire_writer.h"

namespace runnel::store::server {

struct ReceivedFrame {
  cql::FrameHeader header;
  std::string body;
};

class FrameClient {
 public:
  explicit FrameClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("cannot connect");
    }
  }
  ~FrameClient() { ::close(fd_); }
  FrameClient(const FrameClient&) = delete;
  FrameClient& operator=(const FrameClient&) = delete;

  void send_raw(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      sent += static_cast<std::size_t>(n);
    }
  }

  void send(cql::Opcode opcode, const std::string& body, std::int16_t stream = 0,
            std::uint8_t version = 4) {
    send_raw(cql::encode_frame(cql::FrameHeader{version, false, 0, stream, opcode, 0}, body));
  }

  // The next frame; nullopt when the server closed the connection (or
  // nothing came within 5 seconds).
  std::optional<ReceivedFrame> receive() {
    std::string header_bytes;
    if (!receive_exactly(cql::kFrameHeaderSize, header_bytes)) return std::nullopt;
    ReceivedFrame frame{cql::decode_frame_header(header_bytes), {}};
    if (!receive_exactly(frame.header.body_length, frame.body)) return std::nullopt;
    return frame;
  }

  // Exactly n bytes; nullopt when the connection closed first.
  std::optional<std::string> receive_raw(std::size_t n) {
    std::string bytes;
    if (!receive_exactly(n, bytes)) return std::nullopt;
    return bytes;
  }

  void startup() {
    std::string body;
    cql::WireWriter(body).write_string_map({{"CQL_VERSION", "3.0.0"}});
    send(cql::Opcode::kStartup, body);
    auto ready = receive();
    if (!ready || ready->header.opcode != cql::Opcode::kReady) {
      throw std::runtime_error("no READY");
    }
  }

 private:
  bool receive_exactly(std::size_t n, std::string& out) {
    out.resize(n);
    std::size_t got = 0;
    while (got < n) {
      ssize_t r = ::recv(fd_, out.data() + got, n - got, 0);
      if (r <= 0) return false;
      got += static_cast<std::size_t>(r);
    }
    return true;
  }

  int fd_ = -1;
};

// A QUERY body: the text, consistency ONE, no values.
inline std::string query_body(const std::string& cql) {
  std::string body;
  cql::WireWriter writer(body);
  writer.write_long_string(cql);
  writer.write_consistency(cql::Consistency::kOne);
  writer.write_byte(0);
  return body;
}

inline std::string execute_body(const std::string& prepared_id) {
  std::string body;
  cql::WireWriter writer(body);
  writer.write_short_bytes(prepared_id);
  writer.write_consistency(cql::Consistency::kOne);
  writer.write_byte(0);
  return body;
}

}  // namespace runnel::store::server
