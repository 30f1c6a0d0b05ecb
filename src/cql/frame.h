// The frame header of the CQL native protocol (doc/native_protocol_v4.spec,
// section 2): version (with the response bit), flags, stream id, opcode and
// body length, 9 bytes in all, in both directions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "cql/codes.h"

namespace runnel::cql {

inline constexpr std::size_t kFrameHeaderSize = 9;
// Cassandra's limit on a frame body (the spec's "256MB").
inline constexpr std::uint32_t kDefaultMaxFrameBodyBytes = 256u * 1024 * 1024;

// Bits of the flags byte (section 2.2).
inline constexpr std::uint8_t kFlagCompression = 0x01;
inline constexpr std::uint8_t kFlagTracing = 0x02;
inline constexpr std::uint8_t kFlagCustomPayload = 0x04;
inline constexpr std::uint8_t kFlagWarning = 0x08;

struct FrameHeader {
  std::uint8_t version = 4;  // without the response bit
  bool response = false;
  std::uint8_t flags = 0;
  // Non-negative in requests; -1 in server-pushed events.
  std::int16_t stream = 0;
  // May hold a value that is no opcode of the spec; see is_known_opcode.
  Opcode opcode = Opcode::kOptions;
  std::uint32_t body_length = 0;

  friend bool operator==(const FrameHeader&, const FrameHeader&) = default;
};

// Any 9 bytes decode; whether the version, opcode and length are acceptable
// is for the reader to decide (check_frame_header). REQUIRES: bytes.size()
// >= kFrameHeaderSize.
FrameHeader decode_frame_header(std::string_view bytes);
void append_frame_header(std::string& out, const FrameHeader& header);

// The header and body as one frame; header.body_length is set from body.
std::string encode_frame(FrameHeader header, std::string_view body);

// Frame body compression agreed in STARTUP (section 5).
enum class Compression { kNone, kLz4 };

// As encode_frame; with kLz4 a non-empty body goes compressed as the spec's
// lz4 format (the uncompressed length as a big-endian [int], then an LZ4
// block) with kFlagCompression set. An empty body goes as it is.
std::string encode_frame(FrameHeader header, std::string_view body, Compression compression);

// The body of a frame with kFlagCompression set, in the lz4 format.
// invalid_argument when it is not, or when it would be longer than
// max_body_bytes uncompressed.
Result<std::string> decompress_lz4_body(std::string_view body, std::uint32_t max_body_bytes);

// Ok when the frame goes the expected direction, its opcode is one of the
// spec's and its body is at most max_body_bytes long (a length of 2^31 or
// more is never valid); else invalid_argument saying which. The version is
// not checked: which versions are acceptable is the caller's choice.
Status check_frame_header(const FrameHeader& header, bool expect_response,
                          std::uint32_t max_body_bytes);

bool is_known_opcode(Opcode opcode);
// "QUERY", "RESULT", ...; "UNKNOWN" for a value not in the spec.
std::string_view opcode_name(Opcode opcode);

}  // namespace runnel::cql
