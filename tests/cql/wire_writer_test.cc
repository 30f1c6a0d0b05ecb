#include "cql/wire_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "cql/wire_reader.h"

namespace runnel::cql {
namespace {

using namespace std::string_literals;

TEST(WireWriterTest, WritesBigEndianIntegers) {
  std::string out;
  WireWriter writer(out);
  writer.write_byte(7);
  writer.write_short(0x1234);
  writer.write_int(-2);
  writer.write_long(1);
  EXPECT_EQ(out, "\x07\x12\x34\xff\xff\xff\xfe\x00\x00\x00\x00\x00\x00\x00\x01"s);
}

TEST(WireWriterTest, WritesNullUnsetAndEmptyValuesDistinctly) {
  std::string out;
  WireWriter writer(out);
  writer.write_value({WireValue::State::kNull, {}});
  writer.write_value({WireValue::State::kUnset, {}});
  writer.write_value({WireValue::State::kSet, ""});
  writer.write_bytes(std::nullopt);
  EXPECT_EQ(out, "\xff\xff\xff\xff\xff\xff\xff\xfe\x00\x00\x00\x00\xff\xff\xff\xff"s);
}

TEST(WireWriterTest, LongStringIsCutAtACharacterBoundary) {
  // 32768 two-byte characters: 65536 bytes, one more than a [string] holds.
  std::string text;
  for (int i = 0; i < 32768; ++i) text += "\xc3\xa9";
  std::string out;
  WireWriter(out).write_string(text);
  WireReader reader(out);
  std::string read = reader.read_string();
  EXPECT_TRUE(reader.ok());
  EXPECT_EQ(read.size(), 65534u);
  EXPECT_EQ(read, text.substr(0, 65534));
}

TEST(WireWriterTest, EveryPrimitiveRoundTripsThroughTheReader) {
  DataType list_of_int{TypeKind::kList, {DataType::of(TypeKind::kInt)}, {}};
  DataType map_type{TypeKind::kMap, {DataType::of(TypeKind::kVarchar), list_of_int}, {}};
  DataType set_type{TypeKind::kSet, {DataType::of(TypeKind::kUuid)}, {}};
  DataType tuple_type{
      TypeKind::kTuple, {DataType::of(TypeKind::kInt), DataType::of(TypeKind::kBlob)}, {}};
  DataType custom{TypeKind::kCustom, {}, "org.example.Type"};
  std::string uuid(16, '\x5a');
  Inet inet{"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"s, 9042};
  std::map<std::string, std::string> string_map{{"COMPRESSION", "lz4"}, {"CQL_VERSION", "3"}};
  std::map<std::string, std::vector<std::string>> multimap{{"PROTOCOL_VERSIONS", {"3/v3", "4/v4"}}};
  std::map<std::string, std::optional<std::string>> bytes_map{{"a", std::nullopt}, {"b", "\x00"s}};

  std::string out;
  WireWriter writer(out);
  writer.write_string("ks");
  writer.write_long_string("SELECT * FROM t");
  writer.write_uuid(uuid);
  writer.write_string_list({"SCHEMA_CHANGE", "STATUS_CHANGE"});
  writer.write_bytes(std::string_view("\x00\x01"s));
  writer.write_short_bytes("id");
  for (const auto& type : {map_type, set_type, tuple_type, custom}) writer.write_option(type);
  writer.write_inet(inet);
  writer.write_consistency(Consistency::kLocalOne);
  writer.write_string_map(string_map);
  writer.write_string_multimap(multimap);
  writer.write_bytes_map(bytes_map);

  WireReader reader(out);
  EXPECT_EQ(reader.read_string(), "ks");
  EXPECT_EQ(reader.read_long_string(), "SELECT * FROM t");
  EXPECT_EQ(reader.read_uuid(), uuid);
  EXPECT_EQ(reader.read_string_list(),
            (std::vector<std::string>{"SCHEMA_CHANGE", "STATUS_CHANGE"}));
  EXPECT_EQ(reader.read_bytes(), std::optional<std::string>("\x00\x01"s));
  EXPECT_EQ(reader.read_short_bytes(), "id");
  EXPECT_EQ(reader.read_option(), map_type);
  EXPECT_EQ(reader.read_option(), set_type);
  EXPECT_EQ(reader.read_option(), tuple_type);
  EXPECT_EQ(reader.read_option(), custom);
  EXPECT_EQ(reader.read_inet(), inet);
  EXPECT_EQ(reader.read_consistency(), Consistency::kLocalOne);
  EXPECT_EQ(reader.read_string_map(), string_map);
  EXPECT_EQ(reader.read_string_multimap(), multimap);
  EXPECT_EQ(reader.read_bytes_map(), bytes_map);
  EXPECT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ(reader.remaining(), 0u);
}

}  // namespace
}  // namespace runnel::cql
