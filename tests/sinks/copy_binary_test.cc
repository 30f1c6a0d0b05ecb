#include "sinks/copy_binary.h"

#include <gtest/gtest.h>

#include <limits>

#include "every_type_schema.h"

namespace runnel::sinks {
namespace {

using stream::FieldType;
using namespace std::string_literals;

using testing::every_type_schema;

// The binary form of each of every_type_schema()'s fields in its own column.
const std::vector<BinaryColumn> kEveryColumn = {
    BinaryColumn::kUuid,   BinaryColumn::kText, BinaryColumn::kInt4,      BinaryColumn::kInt8,
    BinaryColumn::kFloat8, BinaryColumn::kBool, BinaryColumn::kTimestamp, BinaryColumn::kText};

TEST(CopyBinary, HeaderAndTrailerAreThoseOfTheFormat) {
  std::string out;
  append_copy_binary_header(out);
  append_copy_binary_trailer(out);
  EXPECT_EQ(out,
            "PGCOPY\n\xff\r\n\0"s
            "\0\0\0\0"s
            "\0\0\0\0"s
            "\xff\xff"s);
}

TEST(CopyBinary, EachTypeInItsColumnsBinaryFormInNetworkOrder) {
  std::string out;
  ASSERT_TRUE(append_copy_binary_row(
                  every_type_schema(), kEveryColumn, 7,
                  stream::Row{{std::string("0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4eFF"),
                               std::string("h\xC3\xBC"), int64_t{-2}, int64_t{0x0102030405060708},
                               1.0, true, int64_t{946'684'800'000'001}, std::monostate{}}},
                  out)
                  .is_ok());
  // clang-format off
  EXPECT_EQ(out,
            "\0\x09"s                                       // 9 fields: the ordinal, then 8
            "\0\0\0\x08" "\0\0\0\0\0\0\0\x07"s               // ordinal 7, a bigint
            "\0\0\0\x10"                                    // uuid, 16 bytes
            "\x0b\x5c\x9f\x6e\x2f\x6d\x4d\x1b\x9f\x1e\x7c\x3a\x1d\x2b\x4e\xff"s
            "\0\0\0\x03" "h\xC3\xBC"s                        // text, its UTF-8 as is
            "\0\0\0\x04" "\xff\xff\xff\xfe"s                 // int4 -2
            "\0\0\0\x08" "\x01\x02\x03\x04\x05\x06\x07\x08"s
            "\0\0\0\x08" "\x3f\xf0\0\0\0\0\0\0"s             // 1.0, an IEEE double
            "\0\0\0\x01" "\x01"s                             // true
            "\0\0\0\x08" "\0\0\0\0\0\0\0\x01"s               // 1 us after 2000-01-01
            "\xff\xff\xff\xff"s);                           // null
  // clang-format on
}

TEST(CopyBinary, TextColumnsTakeEveryTypesTextUnescaped) {
  std::vector<BinaryColumn> as_text(kEveryColumn.size(), BinaryColumn::kText);
  std::string out;
  ASSERT_TRUE(
      append_copy_binary_row(every_type_schema(), as_text,
                             stream::Row{{std::string("0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f"),
                                          std::string("a\tb"), int64_t{42}, std::monostate{}, 0.5,
                                          false, int64_t{1714566896789012}, std::string("")}},
                             out)
          .is_ok());
  // clang-format off
  EXPECT_EQ(out,
            "\0\x08"s
            "\0\0\0\x24" "0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f"s
            "\0\0\0\x03" "a\tb"s                          // no escapes in binary
            "\0\0\0\x02" "42"s
            "\xff\xff\xff\xff"s                             // null
            "\0\0\0\x03" "0.5"s
            "\0\0\0\x01" "f"s
            "\0\0\0\x1b" "2024-05-01T12:34:56.789012Z"s
            "\0\0\0\0"s);                                 // empty text, not null
  // clang-format on
}

TEST(CopyBinary, ValuesTheColumnCannotTakeAreInvalidArguments) {
  auto refused = [](stream::Value value, std::size_t field) {
    stream::Row row{{std::string("0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f"), std::string("a"),
                     int64_t{1}, int64_t{1}, 1.0, true, int64_t{0}, std::string("")}};
    row.values[field] = std::move(value);
    std::string out;
    Status status = append_copy_binary_row(every_type_schema(), kEveryColumn, row, out);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    return status.message();
  };
  EXPECT_EQ(refused(int64_t{1} << 31, 2),
            "value \"2147483648\" is out of range for type integer (field n)");
  EXPECT_EQ(refused(std::string("not-a-uuid"), 0),
            "invalid input syntax for type uuid: \"not-a-uuid\"");
  EXPECT_EQ(refused(std::string("0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5g"), 0),
            "invalid input syntax for type uuid: \"0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5g\"");
  EXPECT_EQ(refused(std::string("0b5c9f6e02f6d-4d1b-9f1e-7c3a1d2b4e5f"), 0),
            "invalid input syntax for type uuid: \"0b5c9f6e02f6d-4d1b-9f1e-7c3a1d2b4e5f\"");
  EXPECT_EQ(refused(std::string("1.5"), 4), "field x holds no double value");
  EXPECT_EQ(refused(int64_t{1}, 5), "field ok holds no boolean value");
  EXPECT_EQ(refused(1.0, 6), "field at holds no timestamp value");
}

TEST(CopyBinary, AFieldIsWrittenBinaryOnlyIntoAColumnOfItsOwnOrAWiderType) {
  EXPECT_EQ(binary_column(FieldType::kInt, "int4"), BinaryColumn::kInt4);
  EXPECT_EQ(binary_column(FieldType::kInt, "int8"), BinaryColumn::kInt8);
  EXPECT_EQ(binary_column(FieldType::kBigint, "int8"), BinaryColumn::kInt8);
  EXPECT_EQ(binary_column(FieldType::kTimestamp, "timestamptz"), BinaryColumn::kTimestamp);
  EXPECT_EQ(binary_column(FieldType::kTimestamp, "timestamp"), BinaryColumn::kTimestamp);
  EXPECT_EQ(binary_column(FieldType::kUuid, "uuid"), BinaryColumn::kUuid);
  for (FieldType type : {FieldType::kText, FieldType::kInt, FieldType::kBigint, FieldType::kDouble,
                         FieldType::kBoolean, FieldType::kUuid, FieldType::kTimestamp}) {
    EXPECT_EQ(binary_column(type, "text"), BinaryColumn::kText);
    EXPECT_EQ(binary_column(type, "varchar"), BinaryColumn::kText);
    EXPECT_EQ(binary_column(type, "numeric"), std::nullopt);
    EXPECT_EQ(binary_column(type, "int2"), std::nullopt);
  }
  EXPECT_EQ(binary_column(FieldType::kBigint, "int4"), std::nullopt);
  EXPECT_EQ(binary_column(FieldType::kText, "uuid"), std::nullopt);
  EXPECT_EQ(binary_column(FieldType::kDouble, "float4"), std::nullopt);
  EXPECT_EQ(binary_column(FieldType::kText, "timestamptz"), std::nullopt);
}

}  // namespace
}  // namespace runnel::sinks
