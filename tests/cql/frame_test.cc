#include "cql/frame.h"

#include <gtest/gtest.h>

#include <string>

namespace runnel::cql {
namespace {

using namespace std::string_literals;

TEST(FrameTest, EncodesTheNineByteHeader) {
  FrameHeader header{4, true, kFlagWarning, -1, Opcode::kEvent, 0};
  std::string frame = encode_frame(header, "body");
  EXPECT_EQ(frame,
            "\x84\x08\xff\xff\x0c\x00\x00\x00\x04"
            "body"s);
}

TEST(FrameTest, DecodeInvertsEncode) {
  FrameHeader header{3, false, kFlagTracing | kFlagCustomPayload, 32767, Opcode::kQuery, 0};
  std::string frame = encode_frame(header, std::string(300, 'x'));
  FrameHeader decoded = decode_frame_header(frame);
  header.body_length = 300;
  EXPECT_EQ(decoded, header);
}

TEST(FrameTest, DecodesAnyBytes) {
  FrameHeader header = decode_frame_header("\xff\xff\x80\x00\xee\xff\xff\xff\xff"s);
  EXPECT_TRUE(header.response);
  EXPECT_EQ(header.version, 0x7f);
  EXPECT_EQ(header.stream, -32768);
  EXPECT_FALSE(is_known_opcode(header.opcode));
  EXPECT_EQ(header.body_length, 0xffffffffu);
}

TEST(FrameTest, CheckAcceptsAWellFormedRequest) {
  FrameHeader header{4, false, 0, 1, Opcode::kStartup, 22};
  EXPECT_TRUE(check_frame_header(header, false, 1024).is_ok());
}

TEST(FrameTest, CheckRejectsTheWrongDirection) {
  FrameHeader header{4, true, 0, 1, Opcode::kResult, 0};
  Status status = check_frame_header(header, false, 1024);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("got a response"), std::string::npos);
  EXPECT_TRUE(check_frame_header(header, true, 1024).is_ok());
}

TEST(FrameTest, CheckRejectsUnknownOpcodes) {
  FrameHeader header{4, false, 0, 1, static_cast<Opcode>(0x04), 0};
  Status status = check_frame_header(header, false, 1024);
  EXPECT_NE(status.message().find("unknown opcode 4"), std::string::npos);
}

TEST(FrameTest, CheckRejectsOversizedBodies) {
  FrameHeader header{4, false, 0, 1, Opcode::kQuery, 1025};
  EXPECT_FALSE(check_frame_header(header, false, 1024).is_ok());
  header.body_length = 1024;
  EXPECT_TRUE(check_frame_header(header, false, 1024).is_ok());
  header.body_length = 0x80000000u;  // negative as the spec's [int]
  EXPECT_FALSE(check_frame_header(header, false, 0xffffffffu).is_ok());
}

TEST(FrameTest, NamesOpcodes) {
  EXPECT_EQ(opcode_name(Opcode::kAuthResponse), "AUTH_RESPONSE");
  EXPECT_EQ(opcode_name(static_cast<Opcode>(0x42)), "UNKNOWN");
}

}  // namespace
}  // namespace runnel::cql

namespace runnel::cql {
namespace {

TEST(FrameCompressionTest, Lz4BodyRoundTrips) {
  std::string body(5000, 'a');
  body += "the end";
  FrameHeader header{4, true, 0, 3, Opcode::kResult, 0};
  std::string frame = encode_frame(header, body, Compression::kLz4);
  FrameHeader decoded = decode_frame_header(frame);
  EXPECT_TRUE(decoded.flags & kFlagCompression);
  EXPECT_LT(decoded.body_length, body.size());
  // The uncompressed length, big-endian, first.
  EXPECT_EQ(frame.substr(kFrameHeaderSize, 4), std::string("\x00\x00\x13\x8f", 4));
  auto plain = decompress_lz4_body(std::string_view(frame).substr(kFrameHeaderSize), 1 << 20);
  ASSERT_TRUE(plain.is_ok()) << plain.status().to_string();
  EXPECT_EQ(*plain, body);
}

TEST(FrameCompressionTest, EmptyBodiesAndNoCompressionGoAsTheyAre) {
  FrameHeader header{4, true, 0, 3, Opcode::kReady, 0};
  EXPECT_EQ(encode_frame(header, "", Compression::kLz4), encode_frame(header, ""));
  EXPECT_EQ(encode_frame(header, "x", Compression::kNone), encode_frame(header, "x"));
}

TEST(FrameCompressionTest, MalformedOrOversizedLz4BodiesAreRefused) {
  EXPECT_FALSE(decompress_lz4_body("\x00\x00", 100).is_ok());
  EXPECT_FALSE(decompress_lz4_body(std::string("\x00\x00\x00\x10garbage!", 11), 100).is_ok());
  std::string frame = encode_frame(FrameHeader{}, std::string(200, 'z'), Compression::kLz4);
  auto too_big = decompress_lz4_body(std::string_view(frame).substr(kFrameHeaderSize), 100);
  EXPECT_FALSE(too_big.is_ok());
  EXPECT_NE(too_big.status().message().find("exceeds"), std::string::npos);
}

}  // namespace
}  // namespace runnel::cql
