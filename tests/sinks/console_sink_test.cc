#include "sinks/console_sink.h"

#include <gtest/gtest.h>

#include <sstream>

namespace runnel::sinks {
namespace {

using stream::FieldType;

stream::Schema schema() {
  return {"t",
          {{"id", FieldType::kBigint, true},
           {"first_name", FieldType::kText},
           {"x", FieldType::kDouble},
           {"ok", FieldType::kBoolean},
           {"at", FieldType::kTimestamp}},
          {"id"}};
}

stream::Batch batch(int64_t id) {
  return {id,
          {stream::Row{{int64_t{1}, std::string("Ana"), 0.5, true, int64_t{0}}},
           stream::Row{{int64_t{22}, std::string("a name longer than twenty"), std::monostate{},
                        false, std::monostate{}}},
           stream::Row{{int64_t{333}, std::string("J\xC3\xBCrgen"), -2.0, std::monostate{},
                        int64_t{1714566896789012}}}},
          {{"users_created", 0, 3}}};
}

TEST(ConsoleSink, PrintsTheFirstRowsAsSparksConsoleSinkDoes) {
  std::ostringstream out;
  ConsoleSink sink({.max_rows = 2}, out);
  ASSERT_TRUE(sink.open(schema(), "job").is_ok());
  EXPECT_FALSE(sink.stores_offsets());
  ASSERT_TRUE(sink.write(batch(0)).is_ok());
  ASSERT_TRUE(sink.write({1, {}, {}}).is_ok());
  EXPECT_EQ(out.str(),
            "-------------------------------------------\n"
            "Batch: 0\n"
            "-------------------------------------------\n"
            "+---+--------------------+----+-----+--------------------+\n"
            "| id|          first_name|   x|   ok|                  at|\n"
            "+---+--------------------+----+-----+--------------------+\n"
            "|  1|                 Ana| 0.5| true|1970-01-01T00:00:...|\n"
            "| 22|a name longer tha...|null|false|                null|\n"
            "+---+--------------------+----+-----+--------------------+\n"
            "only showing top 2 rows\n"
            "\n"
            "-------------------------------------------\n"
            "Batch: 1\n"
            "-------------------------------------------\n"
            "+---+----------+---+---+---+\n"
            "| id|first_name|  x| ok| at|\n"
            "+---+----------+---+---+---+\n"
            "+---+----------+---+---+---+\n"
            "\n");
}

TEST(ConsoleSink, WithoutTruncationCellsAreWholeAndLeftAligned) {
  std::ostringstream out;
  ConsoleSink sink({.max_rows = 20, .truncate = false}, out);
  ASSERT_TRUE(sink.open(schema(), "job").is_ok());
  ASSERT_TRUE(sink.write(batch(4)).is_ok());
  EXPECT_EQ(out.str(),
            "-------------------------------------------\n"
            "Batch: 4\n"
            "-------------------------------------------\n"
            "+---+-------------------------+----+-----+---------------------------+\n"
            "|id |first_name               |x   |ok   |at                         |\n"
            "+---+-------------------------+----+-----+---------------------------+\n"
            "|1  |Ana                      |0.5 |true |1970-01-01T00:00:00.000000Z|\n"
            "|22 |a name longer than twenty|null|false|null                       |\n"
            "|333|J\xC3\xBCrgen                   |-2  |null |2024-05-01T12:34:56.789012Z|\n"
            "+---+-------------------------+----+-----+---------------------------+\n"
            "\n");
}

TEST(ConsoleSink, PrintsJsonLines) {
  std::ostringstream out;
  ConsoleSink sink({.max_rows = 1, .format = ConsoleFormat::kJsonLines}, out);
  ASSERT_TRUE(sink.open(schema(), "job").is_ok());
  ASSERT_TRUE(sink.write(batch(2)).is_ok());
  EXPECT_EQ(out.str(),
            "-------------------------------------------\n"
            "Batch: 2\n"
            "-------------------------------------------\n"
            "{\"id\":1,\"first_name\":\"Ana\",\"x\":0.5,\"ok\":true,"
            "\"at\":\"1970-01-01T00:00:00.000000Z\"}\n"
            "only showing top 1 row\n"
            "\n");
}

}  // namespace
}  // namespace runnel::sinks
