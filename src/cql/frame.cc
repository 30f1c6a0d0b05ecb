#include "cql/frame.h"

namespace runnel::cql {
namespace {

constexpr std::uint8_t kResponseBit = 0x80;
constexpr std::uint32_t kMaxSignedLength = 0x7fffffff;

}  // namespace

FrameHeader decode_frame_header(std::string_view bytes) {
  auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[i]); };
  FrameHeader header;
  header.response = (byte(0) & kResponseBit) != 0;
  header.version = byte(0) & ~kResponseBit;
  header.flags = byte(1);
  header.stream = static_cast<std::int16_t>((byte(2) << 8) | byte(3));
  header.opcode = static_cast<Opcode>(byte(4));
  header.body_length = (static_cast<std::uint32_t>(byte(5)) << 24) |
                       (static_cast<std::uint32_t>(byte(6)) << 16) |
                       (static_cast<std::uint32_t>(byte(7)) << 8) | byte(8);
  return header;
}

void append_frame_header(std::string& out, const FrameHeader& header) {
  auto stream = static_cast<std::uint16_t>(header.stream);
  out.push_back(static_cast<char>(header.version | (header.response ? kResponseBit : 0)));
  out.push_back(static_cast<char>(header.flags));
  out.push_back(static_cast<char>(stream >> 8));
  out.push_back(static_cast<char>(stream & 0xff));
  out.push_back(static_cast<char>(header.opcode));
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((header.body_length >> shift) & 0xff));
  }
}

std::string encode_frame(FrameHeader header, std::string_view body) {
  header.body_length = static_cast<std::uint32_t>(body.size());
  std::string frame;
  frame.reserve(kFrameHeaderSize + body.size());
  append_frame_header(frame, header);
  frame.append(body);
  return frame;
}

Status check_frame_header(const FrameHeader& header, bool expect_response,
                          std::uint32_t max_body_bytes) {
  if (header.response != expect_response) {
    return invalid_argument(expect_response ? "expected a response frame, got a request"
                                            : "expected a request frame, got a response");
  }
  if (!is_known_opcode(header.opcode)) {
    return invalid_argument("unknown opcode " +
                            std::to_string(static_cast<unsigned>(header.opcode)));
  }
  if (header.body_length > kMaxSignedLength || header.body_length > max_body_bytes) {
    return invalid_argument("frame body of " + std::to_string(header.body_length) +
                            " bytes exceeds the limit of " + std::to_string(max_body_bytes));
  }
  return Status::ok();
}

bool is_known_opcode(Opcode opcode) { return opcode_name(opcode) != "UNKNOWN"; }

std::string_view opcode_name(Opcode opcode) {
  switch (opcode) {
    case Opcode::kError:
      return "ERROR";
    case Opcode::kStartup:
      return "STARTUP";
    case Opcode::kReady:
      return "READY";
    case Opcode::kAuthenticate:
      return "AUTHENTICATE";
    case Opcode::kOptions:
      return "OPTIONS";
    case Opcode::kSupported:
      return "SUPPORTED";
    case Opcode::kQuery:
      return "QUERY";
    case Opcode::kResult:
      return "RESULT";
    case Opcode::kPrepare:
      return "PREPARE";
    case Opcode::kExecute:
      return "EXECUTE";
    case Opcode::kRegister:
      return "REGISTER";
    case Opcode::kEvent:
      return "EVENT";
    case Opcode::kBatch:
      return "BATCH";
    case Opcode::kAuthChallenge:
      return "AUTH_CHALLENGE";
    case Opcode::kAuthResponse:
      return "AUTH_RESPONSE";
    case Opcode::kAuthSuccess:
      return "AUTH_SUCCESS";
  }
  return "UNKNOWN";
}

}  // namespace runnel::cql
