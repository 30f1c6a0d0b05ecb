#include "broker/protocol/schema.h"

#include <gtest/gtest.h>

#include "broker/protocol/messages/api_versions.h"

namespace runnel::broker {
namespace {

template <typename Message>
std::string encoded(const Message& m, WireFormat format) {
  std::string out;
  WireWriter writer(out);
  encode(writer, m, format);
  return out;
}

template <typename Message>
Message decoded(std::string_view bytes, WireFormat format) {
  WireReader reader(bytes);
  Message m;
  decode(reader, m, format);
  EXPECT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ(reader.remaining(), 0u);
  return m;
}

ApiVersionsResponse sample_response() {
  ApiVersionsResponse r;
  r.api_keys = {{0, 3, 9}, {18, 0, 3}};
  r.throttle_time_ms = 7;
  return r;
}

TEST(Schema, ClassicVersionHasFixedLengths) {
  // v0: error_code, then an int32-counted array of three int16s, no throttle.
  std::string bytes = encoded(sample_response(), {0, false});
  EXPECT_EQ(bytes, std::string("\0\0\0\0\0\2\0\0\0\3\0\x9\0\x12\0\0\0\3", 18));
}

TEST(Schema, FlexibleVersionIsCompactAndTagged) {
  // v3: error_code, compact array (count+1 as varint), each element ends with
  // an empty tag section, then throttle and the message's own tag section.
  std::string bytes = encoded(sample_response(), {3, true});
  EXPECT_EQ(bytes, std::string("\0\0\3\0\0\0\3\0\x9\0\0\x12\0\0\0\3\0\0\0\0\7\0", 22));
}

TEST(Schema, RoundTripsEveryVersion) {
  for (int16_t v = 0; v <= 3; ++v) {
    WireFormat format{v, v >= 3};
    auto back = decoded<ApiVersionsResponse>(encoded(sample_response(), format), format);
    ASSERT_EQ(back.api_keys.size(), 2u);
    EXPECT_EQ(back.api_keys[0].max_version, 9);
    EXPECT_EQ(back.api_keys[1].api_key, 18);
    EXPECT_EQ(back.throttle_time_ms, v >= 1 ? 7 : 0);
  }
}

TEST(Schema, FieldsOutsideTheVersionAreNotOnTheWire) {
  ApiVersionsRequest request;
  request.client_software_name = "kcat";
  request.client_software_version = "1.7.1";
  EXPECT_EQ(encoded(request, {2, false}), "");
  auto back = decoded<ApiVersionsRequest>(encoded(request, {3, true}), {3, true});
  EXPECT_EQ(back.client_software_name, "kcat");
  EXPECT_EQ(back.client_software_version, "1.7.1");
}

TEST(Schema, UnknownTaggedFieldsAreSkipped) {
  // A v3 request carrying one tagged field (tag 5, two bytes) it does not know.
  std::string bytes("\5kcat\6" "1.7.1" "\1\5\2xy", 16);
  auto back = decoded<ApiVersionsRequest>(bytes, {3, true});
  EXPECT_EQ(back.client_software_name, "kcat");
}

TEST(Schema, TruncatedInputFailsTheReader) {
  std::string bytes = encoded(sample_response(), {1, false});
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    WireReader reader(std::string_view(bytes).substr(0, cut));
    ApiVersionsResponse m;
    decode(reader, m, {1, false});
    EXPECT_FALSE(reader.ok()) << "cut at " << cut;
  }
}

TEST(Schema, HostileArrayLengthIsRefusedWithoutAllocating) {
  std::string bytes("\0\0\x7f\xff\xff\xff", 6);
  WireReader reader(bytes);
  ApiVersionsResponse m;
  decode(reader, m, {0, false});
  EXPECT_FALSE(reader.ok());
  EXPECT_NE(reader.error().find("exceeds"), std::string_view::npos);
}

TEST(Wire, VarintsRoundTrip) {
  std::string out;
  WireWriter writer(out);
  const int64_t longs[] = {0, -1, 1, 63, -64, 64, 300, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN};
  for (int64_t v : longs) writer.write_varlong(v);
  const int32_t ints[] = {0, -1, 150, INT32_MAX, INT32_MIN};
  for (int32_t v : ints) writer.write_varint(v);
  WireReader reader(out);
  for (int64_t v : longs) EXPECT_EQ(reader.read_varlong(), v);
  for (int32_t v : ints) EXPECT_EQ(reader.read_varint(), v);
  EXPECT_TRUE(reader.ok());
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(Wire, ZigZagMatchesKafka) {
  // Kafka encodes -1 as 0x01 and 1 as 0x02.
  std::string out;
  WireWriter writer(out);
  writer.write_varint(-1);
  writer.write_varint(1);
  EXPECT_EQ(out, "\x01\x02");
}

}  // namespace
}  // namespace runnel::broker
