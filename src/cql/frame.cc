#include "cql/frame.h"

#include <lz4.h>

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

std::string encode_frame(FrameHeader header, std::string_view body, Compression compression) {
  if (compression == Compression::kNone || body.empty()) return encode_frame(header, body);
  int bound = LZ4_compressBound(static_cast<int>(body.size()));
  std::string compressed(4 + static_cast<std::size_t>(bound), '\0');
  auto length = static_cast<std::uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) compressed[i] = static_cast<char>((length >> (24 - 8 * i)) & 0xff);
  int written = LZ4_compress_default(body.data(), compressed.data() + 4,
                                     static_cast<int>(body.size()), bound);
  compressed.resize(4 + static_cast<std::size_t>(written));
  header.flags |= kFlagCompression;
  return encode_frame(header, compressed);
}

Result<std::string> decompress_lz4_body(std::string_view body, std::uint32_t max_body_bytes) {
  if (body.size() < 4) return invalid_argument("lz4 body shorter than its length prefix");
  std::uint32_t length = 0;
  for (int i = 0; i < 4; ++i) length = (length << 8) | static_cast<std::uint8_t>(body[i]);
  if (length > max_body_bytes || length > kMaxSignedLength) {
    return invalid_argument("lz4 body of " + std::to_string(length) +
                            " bytes uncompressed exceeds the limit of " +
                            std::to_string(max_body_bytes));
  }
  std::string plain(length, '\0');
  int read = LZ4_decompress_safe(body.data() + 4, plain.data(), static_cast<int>(body.size() - 4),
                                 static_cast<int>(length));
  if (read < 0 || static_cast<std::uint32_t>(read) != length) {
    return invalid_argument("malformed lz4 body");
  }
  return plain;
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
