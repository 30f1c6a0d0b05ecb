#include "cql/value.h"

#include <gtest/gtest.h>

#include "cql/varint.h"

namespace runnel::cql {
namespace {

DataType type(std::string_view name) { return DataType::parse(name).value(); }

TEST(ValueTest, EncodesBigEndian) {
  EXPECT_EQ(encode_int(1), std::string("\0\0\0\1", 4));
  EXPECT_EQ(decode_int(encode_int(-2)), -2);
  EXPECT_EQ(decode_bigint(encode_bigint(-5000000000LL)), -5000000000LL);
  EXPECT_EQ(encode_date(0), std::string("\x80\0\0\0", 4));
}

TEST(ValueTest, ValidatesLengthsWithCassandrasMessages) {
  EXPECT_EQ(validate(type("int"), "abc").message(), "Expected 4 or 0 byte int (3)");
  EXPECT_TRUE(validate(type("int"), "").is_ok());
  EXPECT_EQ(validate(type("bigint"), "abc").message(), "Expected 8 or 0 byte long (3)");
  EXPECT_FALSE(validate(type("uuid"), "short").is_ok());
  EXPECT_FALSE(validate(type("ascii"), "caf\xc3\xa9").is_ok());
  EXPECT_FALSE(validate(type("text"), "\xff").is_ok());
  EXPECT_TRUE(validate(type("text"), "caf\xc3\xa9").is_ok());
  EXPECT_FALSE(validate(type("list<int>"), std::string("\0\0\0\1\0\0\0\4\0\0", 10)).is_ok());
  EXPECT_TRUE(validate(type("list<int>"), encode_collection({encode_int(7)}, false)).is_ok());
  EXPECT_FALSE(
      validate(type("timeuuid"), *encode_uuid("5b6962dd-3f90-4c93-8f61-eabfa4a803e2")).is_ok());
}

TEST(ValueTest, FormatsAsCqlshPrints) {
  EXPECT_EQ(format(type("text"), "plain"), "plain");
  EXPECT_EQ(format(type("boolean"), encode_boolean(true)), "True");
  EXPECT_EQ(format(type("timestamp"), encode_timestamp(1706702400000)),
            "2024-01-31 12:00:00.000000+0000");
  EXPECT_EQ(format(type("date"), encode_date(19753)), "2024-01-31");
  EXPECT_EQ(format(type("time"), encode_bigint(3723000000001LL)), "01:02:03.000000001");
  EXPECT_EQ(format(type("uuid"), *encode_uuid("5B6962DD-3F90-4C93-8F61-EABFA4A803E2")),
            "5b6962dd-3f90-4c93-8f61-eabfa4a803e2");
  EXPECT_EQ(format(type("inet"), *encode_inet("10.0.0.1")), "10.0.0.1");
  EXPECT_EQ(format(type("inet"), *encode_inet("::1")), "::1");
  EXPECT_EQ(format(type("blob"), "\x01\xab"), "0x01ab");
  EXPECT_EQ(format(type("list<text>"), encode_collection({"a", "b"}, false)), "['a', 'b']");
  EXPECT_EQ(format(type("map<text, int>"), encode_collection({"k", encode_int(1)}, true)),
            "{'k': 1}");
  EXPECT_EQ(format(type("double"), encode_double(1.5)), "1.5");
}

TEST(ValueTest, VarintAndDecimalRoundTrip) {
  for (std::string text : {"0", "1", "-1", "127", "128", "-128", "-129",
                           "123456789012345678901234567890", "-98765432109876543210"}) {
    auto bytes = encode_varint(text);
    ASSERT_TRUE(bytes.is_ok()) << text;
    EXPECT_EQ(format_varint(*bytes), text);
  }
  EXPECT_EQ(*encode_varint("128"), std::string("\0\x80", 2));
  EXPECT_EQ(*encode_varint("-1"), "\xff");
  EXPECT_EQ(format_decimal(*encode_decimal("-12.345")), "-12.345");
  EXPECT_EQ(format_decimal(*encode_decimal("0.001")), "0.001");
  EXPECT_EQ(format_decimal(*encode_decimal("1e3")), "1000");
  EXPECT_FALSE(encode_varint("12a").is_ok());
}

TEST(ValueTest, ComparesAsCassandraOrders) {
  EXPECT_LT(compare(type("int"), encode_int(-1), encode_int(1)), 0);
  EXPECT_GT(compare(type("text"), "b", "a"), 0);
  EXPECT_LT(compare(type("varint"), *encode_varint("-300"), *encode_varint("2")), 0);
  EXPECT_EQ(compare(type("decimal"), *encode_decimal("1.50"), *encode_decimal("1.5")), 0);
  EXPECT_LT(compare(type("decimal"), *encode_decimal("1.49"), *encode_decimal("1.5")), 0);
  EXPECT_LT(compare(type("double"), encode_double(-2.5), encode_double(0.5)), 0);
  EXPECT_LT(compare(type("int"), "", encode_int(-100)), 0);  // empty sorts first
}

}  // namespace
}  // namespace runnel::cql
