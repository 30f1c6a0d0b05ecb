#include "sinks/copy_text.h"

#include <gtest/gtest.h>

#include <limits>

namespace runnel::sinks {
namespace {

using stream::FieldType;

TEST(CopyText, EscapesBackslashTabNewlineAndCarriageReturnOnly) {
  std::string out;
  append_copy_text("a\\b\tc\nd\re 'q' \"dq\" \\N \xC3\xBC", out);
  EXPECT_EQ(out, "a\\\\b\\tc\\nd\\re 'q' \"dq\" \\\\N \xC3\xBC");
}

TEST(CopyText, RowsCarryTheOrdinalThenEveryTypeAndNull) {
  stream::Schema schema{"t",
                        {{"id", FieldType::kUuid, true},
                         {"n", FieldType::kInt},
                         {"x", FieldType::kDouble},
                         {"ok", FieldType::kBoolean},
                         {"at", FieldType::kTimestamp},
                         {"note", FieldType::kText}},
                        {"id"}};
  std::string out;
  append_copy_row(schema, 7,
                  stream::Row{{std::string("0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f"), int64_t{-42},
                               0.1, true, int64_t{1714566896789012}, std::monostate{}}},
                  out);
  append_copy_row(
      schema, 8,
      stream::Row{{std::string("x"), std::monostate{}, std::numeric_limits<double>::quiet_NaN(),
                   false, int64_t{-1}, std::string("line\nbreak")}},
      out);
  append_copy_row(
      schema, 9,
      stream::Row{{std::string("y"), int64_t{0}, -std::numeric_limits<double>::infinity(), false,
                   int64_t{0}, std::string("")}},
      out);
  EXPECT_EQ(
      out,
      "7\t0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f\t-42\t0.1\tt\t2024-05-01T12:34:56.789012Z\t\\N\n"
      "8\tx\t\\N\tNaN\tf\t1969-12-31T23:59:59.999999Z\tline\\nbreak\n"
      "9\ty\t0\t-Infinity\tf\t1970-01-01T00:00:00.000000Z\t\n");
}

}  // namespace
}  // namespace runnel::sinks
