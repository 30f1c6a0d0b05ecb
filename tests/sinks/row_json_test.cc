#include "sinks/row_json.h"

#include <gtest/gtest.h>

namespace runnel::sinks {
namespace {

TEST(RowJson, EveryTypeAndNull) {
  stream::Schema schema{"t",
                        {{"id", stream::FieldType::kUuid, true},
                         {"n", stream::FieldType::kBigint},
                         {"x", stream::FieldType::kDouble},
                         {"ok", stream::FieldType::kBoolean},
                         {"at", stream::FieldType::kTimestamp},
                         {"note", stream::FieldType::kText}},
                        {"id"}};
  stream::Row row{{std::string("0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f"), int64_t{42}, 0.5, true,
                   int64_t{1714566896789000}, std::monostate{}}};
  std::string out;
  append_row_json(schema, row, out);
  EXPECT_EQ(out,
            R"({"id":"0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f","n":42,"x":0.5,"ok":true,)"
            R"("at":"2024-05-01T12:34:56.789000Z","note":null})");
}

TEST(RowJson, TimestampsBeforeTheEpoch) {
  EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00.000000Z");
}

}  // namespace
}  // namespace runnel::sinks
