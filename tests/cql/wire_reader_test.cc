#include "cql/wire_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace runnel::cql {
namespace {

using namespace std::string_literals;

TEST(WireReaderTest, ReadsBigEndianIntegers) {
  const std::string reader_bytes = "\x01\xff\xfe\xff\xff\xff\xfd\x00\x00\x00\x00\x00\x00\x01\x00"s;
  WireReader reader(reader_bytes);
  EXPECT_EQ(reader.read_byte(), 0x01);
  EXPECT_EQ(reader.read_short(), 0xfffe);
  EXPECT_EQ(reader.read_int(), -3);
  EXPECT_EQ(reader.read_long(), 256);
  EXPECT_TRUE(reader.ok());
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(WireReaderTest, ReadsStringsAndLists) {
  const std::string reader_bytes =
      "\x00\x03"
      "abc"
      "\x00\x00\x00\x02"
      "hi"
      "\x00\x02\x00\x01x\x00\x00"s;
  WireReader reader(reader_bytes);
  EXPECT_EQ(reader.read_string(), "abc");
  EXPECT_EQ(reader.read_long_string(), "hi");
  EXPECT_EQ(reader.read_string_list(), (std::vector<std::string>{"x", ""}));
  EXPECT_TRUE(reader.ok());
}

TEST(WireReaderTest, BytesNegativeLengthIsNull) {
  const std::string reader_bytes = "\xff\xff\xff\xff\x00\x00\x00\x01z\x00\x00\x00\x00"s;
  WireReader reader(reader_bytes);
  EXPECT_EQ(reader.read_bytes(), std::nullopt);
  EXPECT_EQ(reader.read_bytes(), std::optional<std::string>("z"));
  EXPECT_EQ(reader.read_bytes(), std::optional<std::string>(""));
  EXPECT_TRUE(reader.ok());
}

TEST(WireReaderTest, ValueDistinguishesNullUnsetAndSet) {
  const std::string reader_bytes = "\xff\xff\xff\xff\xff\xff\xff\xfe\x00\x00\x00\x01q"s;
  WireReader reader(reader_bytes);
  EXPECT_EQ(reader.read_value().state, WireValue::State::kNull);
  EXPECT_EQ(reader.read_value().state, WireValue::State::kUnset);
  EXPECT_EQ(reader.read_value(), (WireValue{WireValue::State::kSet, "q"}));
  EXPECT_TRUE(reader.ok());
}

TEST(WireReaderTest, ValueLengthBelowMinusTwoFails) {
  const std::string reader_bytes = "\xff\xff\xff\xfd"s;
  WireReader reader(reader_bytes);
  reader.read_value();
  EXPECT_FALSE(reader.ok());
  EXPECT_NE(reader.error().find("invalid [value] length -3"), std::string::npos);
}

TEST(WireReaderTest, TruncatedReadFailsWithoutReadingPastTheEnd) {
  const std::string reader_bytes =
      "\x00\x10"
      "abc"s;
  WireReader reader(reader_bytes);  // a [string] of 16 bytes, 3 present
  EXPECT_EQ(reader.read_string(), "");
  EXPECT_FALSE(reader.ok());
  EXPECT_NE(reader.error().find("truncated"), std::string::npos) << reader.error();
  // Later reads return empty values and keep the first error.
  std::string first = reader.error();
  EXPECT_EQ(reader.read_int(), 0);
  EXPECT_EQ(reader.read_long_string(), "");
  EXPECT_EQ(reader.error(), first);
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
}

TEST(WireReaderTest, NegativeLongStringLengthFails) {
  const std::string reader_bytes = "\x80\x00\x00\x00"s;
  WireReader reader(reader_bytes);
  reader.read_long_string();
  EXPECT_FALSE(reader.ok());
}

TEST(WireReaderTest, ReadsNestedOptions) {
  // map<text, list<int>>, then a custom type.
  const std::string reader_bytes =
      "\x00\x21\x00\x0d\x00\x20\x00\x09"
      "\x00\x00\x00\x03"
      "a.B"s;
  WireReader reader(reader_bytes);
  DataType map = reader.read_option();
  ASSERT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ(map.kind, TypeKind::kMap);
  ASSERT_EQ(map.parameters.size(), 2u);
  EXPECT_EQ(map.parameters[0].kind, TypeKind::kVarchar);
  EXPECT_EQ(map.parameters[1].kind, TypeKind::kList);
  EXPECT_EQ(map.parameters[1].parameters.at(0).kind, TypeKind::kInt);
  DataType custom = reader.read_option();
  EXPECT_EQ(custom.kind, TypeKind::kCustom);
  EXPECT_EQ(custom.custom_class, "a.B");
}

TEST(WireReaderTest, UnknownOptionIdAndUdtFail) {
  const std::string unknown_bytes = "\x00\x0a"s;
  WireReader unknown(unknown_bytes);  // 0x000A is no type in v4
  unknown.read_option();
  EXPECT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().find("0x000a"), std::string::npos) << unknown.error();
  const std::string udt_bytes = "\x00\x30"s;
  WireReader udt(udt_bytes);
  udt.read_option();
  EXPECT_FALSE(udt.ok());
}

TEST(WireReaderTest, DeeplyNestedOptionFailsInsteadOfRecursingForever) {
  std::string nested;
  for (int i = 0; i < 1000; ++i) nested += "\x00\x20"s;
  nested += "\x00\x09"s;
  WireReader reader(nested);
  reader.read_option();
  EXPECT_FALSE(reader.ok());
  EXPECT_NE(reader.error().find("nested"), std::string::npos);
}

TEST(WireReaderTest, ReadsInetAndRejectsOddAddressSizes) {
  const std::string reader_bytes = "\x04\x7f\x00\x00\x01\x00\x00\x23\x52"s;
  WireReader reader(reader_bytes);
  Inet inet = reader.read_inet();
  EXPECT_EQ(inet.address, "\x7f\x00\x00\x01"s);
  EXPECT_EQ(inet.port, 9042);
  const std::string odd_bytes = "\x05\x01\x02\x03\x04\x05\x00\x00\x00\x00"s;
  WireReader odd(odd_bytes);
  odd.read_inet();
  EXPECT_FALSE(odd.ok());
}

TEST(WireReaderTest, ConsistencyOutOfRangeFails) {
  const std::string reader_bytes = "\x00\x06\x00\x0b"s;
  WireReader reader(reader_bytes);
  EXPECT_EQ(reader.read_consistency(), Consistency::kLocalQuorum);
  EXPECT_TRUE(reader.ok());
  reader.read_consistency();
  EXPECT_FALSE(reader.ok());
}

TEST(WireReaderTest, ReadsMaps) {
  const std::string reader_bytes =
      "\x00\x01\x00\x0b"
      "CQL_VERSION"
      "\x00\x05"
      "3.0.0"
      "\x00\x01\x00\x01k\x00\x02\x00\x01"
      "a"
      "\x00\x01"
      "b"
      "\x00\x02\x00\x01m\xff\xff\xff\xff\x00\x01n\x00\x00\x00\x01v"s;
  WireReader reader(reader_bytes);
  EXPECT_EQ(reader.read_string_map(),
            (std::map<std::string, std::string>{{"CQL_VERSION", "3.0.0"}}));
  EXPECT_EQ(reader.read_string_multimap(),
            (std::map<std::string, std::vector<std::string>>{{"k", {"a", "b"}}}));
  EXPECT_EQ(reader.read_bytes_map(),
            (std::map<std::string, std::optional<std::string>>{{"m", std::nullopt}, {"n", "v"}}));
  EXPECT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(WireReaderTest, MapWithMoreEntriesThanBytesFails) {
  const std::string reader_bytes = "\xff\xff\x00\x01k\x00\x01v"s;
  WireReader reader(reader_bytes);  // claims 65535 pairs
  reader.read_string_map();
  EXPECT_FALSE(reader.ok());
}

}  // namespace
}  // namespace runnel::cql
