#include <gtest/gtest.h>

#include <algorithm>

#include "cql/value.h"
#include "cql/varint.h"
#include "store/storage/byte_io.h"
#include "store/storage/keys.h"
#include "store/storage/row_record.h"

namespace runnel::store::storage {
namespace {

using runnel::cql::DataType;
using runnel::cql::TypeKind;

std::string clustering_key(const ClusteringColumn& column, const std::string& value) {
  std::string key;
  append_clustering_value(key, column, value);
  return key;
}

TEST(KeysTest, ClusteringEncodingOrdersAsCompare) {
  struct Case {
    const char* type;
    std::vector<std::string> ascending;  // values in CQL order
  };
  std::vector<Case> cases = {
      {"int",
       {runnel::cql::encode_int(-5), runnel::cql::encode_int(0), runnel::cql::encode_int(7)}},
      {"bigint",
       {runnel::cql::encode_bigint(INT64_MIN), runnel::cql::encode_bigint(-1),
        runnel::cql::encode_bigint(3)}},
      {"double",
       {runnel::cql::encode_double(-2.5), runnel::cql::encode_double(-0.5),
        runnel::cql::encode_double(0.25), runnel::cql::encode_double(1e10)}},
      {"text", {"", "a", std::string("a\0", 2), "ab", "b"}},
      {"varint",
       {*runnel::cql::encode_varint("-1000"), *runnel::cql::encode_varint("-1"),
        *runnel::cql::encode_varint("2"), *runnel::cql::encode_varint("300")}},
  };
  for (const auto& c : cases) {
    DataType type = DataType::parse(c.type).value();
    for (bool descending : {false, true}) {
      ClusteringColumn column{type, descending};
      for (std::size_t i = 0; i + 1 < c.ascending.size(); ++i) {
        std::string a = clustering_key(column, c.ascending[i]);
        std::string b = clustering_key(column, c.ascending[i + 1]);
        EXPECT_EQ(a < b, !descending) << c.type << " #" << i;
      }
      for (const auto& value : c.ascending) {
        auto decoded = decode_clustering(clustering_key(column, value), {column});
        ASSERT_TRUE(decoded.has_value()) << c.type;
        EXPECT_EQ((*decoded)[0], value) << c.type;
      }
    }
  }
}

TEST(KeysTest, PartitionsAreInTokenOrderAndPrefixFree) {
  std::vector<std::string> prefixes;
  for (std::int64_t token : {INT64_MIN + 1, std::int64_t{-1}, std::int64_t{0}, INT64_MAX}) {
    prefixes.push_back(partition_prefix(7, token, "k"));
  }
  EXPECT_TRUE(std::is_sorted(prefixes.begin(), prefixes.end()));
  // Same token, keys "a" and "a\0": neither prefix is a prefix of the other.
  std::string a = partition_prefix(7, 1, "a");
  std::string b = partition_prefix(7, 1, std::string("a\0", 2));
  EXPECT_NE(b.rfind(a, 0), 0u);
  auto decoded = decode_key(b + std::string(1, kRow));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->partition_key, std::string("a\0", 2));
  EXPECT_EQ(decoded->token, 1);
}

TEST(KeysTest, CompositePartitionKeysAsCassandraSerializesThem) {
  std::string serialized = serialize_partition_key({"ab", "c"});
  EXPECT_EQ(serialized, std::string("\0\2ab\0\0\1c\0", 9));
  auto split = split_partition_key(serialized, 2);
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ((*split)[1], "c");
  EXPECT_FALSE(split_partition_key(serialized, 3).has_value());
}

Cell cell(std::string column, std::int64_t timestamp, std::string value, bool tombstone = false) {
  return Cell{std::move(column), Liveness{timestamp, 0, 0}, tombstone, std::move(value)};
}

TEST(RowRecordTest, LastWriteWinsCellByCell) {
  RowRecord older;
  older.cells = {cell("a", 10, "old-a"), cell("b", 30, "new-b")};
  RowRecord newer;
  newer.cells = {cell("a", 20, "new-a"), cell("b", 5, "old-b"), cell("c", 1, "c")};
  RowRecord merged = merge(older, newer);
  ASSERT_EQ(merged.cells.size(), 3u);
  EXPECT_EQ(merged.cells[0].value, "new-a");
  EXPECT_EQ(merged.cells[1].value, "new-b");
  // Merging is commutative.
  EXPECT_EQ(encode_row(merge(newer, older)), encode_row(merged));
}

TEST(RowRecordTest, TiesGoToTombstonesThenGreaterValues) {
  EXPECT_TRUE(reconcile(cell("a", 5, "x"), cell("a", 5, "", true)).tombstone);
  EXPECT_EQ(reconcile(cell("a", 5, "x"), cell("a", 5, "y")).value, "y");
  EXPECT_EQ(reconcile(cell("a", 5, "y"), cell("a", 5, "x")).value, "y");
}

TEST(RowRecordTest, RowTombstoneDropsOlderCells) {
  RowRecord live;
  live.marker = Liveness{10, 0, 0};
  live.cells = {cell("a", 10, "gone"), cell("b", 30, "kept")};
  RowRecord deletion;
  deletion.deletion = 20;
  RowRecord merged = merge(live, deletion);
  EXPECT_FALSE(merged.marker.has_value());
  ASSERT_EQ(merged.cells.size(), 1u);
  EXPECT_EQ(merged.cells[0].column, "b");
  auto decoded = decode_row(encode_row(merged));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->deletion, 20);
  EXPECT_FALSE(decode_row("garbage").has_value());
}

TEST(RowRecordTest, EveryFieldRoundTripsInTheCompactFormat) {
  RowRecord row;
  row.marker = Liveness{1'700'000'000'000'000, 60, 1'700'000'060'000};
  row.deletion = -5;
  row.cells = {Cell{"a", *row.marker, false, "shared"},
               Cell{"b", Liveness{-3, 0, 0}, false, std::string(300, 'v')},
               Cell{"c", Liveness{7, 1, 2}, true, ""}};
  auto decoded = decode_row(encode_row(row));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->marker, row.marker);
  EXPECT_EQ(decoded->deletion, -5);
  ASSERT_EQ(decoded->cells.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(decoded->cells[i].column, row.cells[i].column);
    EXPECT_EQ(decoded->cells[i].liveness, row.cells[i].liveness) << i;
    EXPECT_EQ(decoded->cells[i].tombstone, row.cells[i].tombstone) << i;
    EXPECT_EQ(decoded->cells[i].value, row.cells[i].value) << i;
  }

  RowRecord unmarked;  // an UPDATE's row: no marker, cells of two writes
  unmarked.cells = {cell("x", 9, "1"), cell("y", 8, "2")};
  decoded = decode_row(encode_row(unmarked));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_FALSE(decoded->marker.has_value());
  EXPECT_EQ(decoded->deletion, kNoDeletion);
  ASSERT_EQ(decoded->cells.size(), 2u);
  EXPECT_EQ(decoded->cells[0].liveness.timestamp, 9);
  EXPECT_EQ(decoded->cells[1].liveness.timestamp, 8);
}

// An INSERT's cells share the marker's write time: the record stores it
// once, so a row is about its names and values (the legacy format took 29
// bytes more per cell).
TEST(RowRecordTest, ARowOfOneWriteStoresItsWriteTimeOnce) {
  RowRecord row;
  row.marker = Liveness{1'700'000'000'000'000, 0, 0};
  std::size_t names_and_values = 0;
  for (const char* column : {"address", "email", "first_name", "gender", "id", "last_name"}) {
    row.cells.push_back(Cell{column, *row.marker, false, std::string(20, 'v')});
    names_and_values += std::string_view(column).size() + 20;
  }
  const std::string encoded = encode_row(row);
  EXPECT_LE(encoded.size(), names_and_values + 3 * row.cells.size() + 16);
}

// Records written before the compact format are still read, and merge with
// compact ones into a compact record.
TEST(RowRecordTest, LegacyRecordsAreStillRead) {
  Writer legacy;
  legacy.u8('R');
  legacy.u8(1);  // a marker
  legacy.i64(10);
  legacy.i32(0);
  legacy.i64(0);
  legacy.i64(kNoDeletion);
  legacy.i32(2);
  for (const char* column : {"a", "b"}) {
    legacy.bytes(column);
    legacy.i64(10);
    legacy.i32(0);
    legacy.i64(0);
    legacy.u8(0);
    legacy.bytes(std::string("old-") + column);
  }
  auto old_row = decode_row(legacy.take());
  ASSERT_TRUE(old_row.has_value());
  ASSERT_TRUE(old_row->marker.has_value());
  EXPECT_EQ(old_row->marker->timestamp, 10);
  ASSERT_EQ(old_row->cells.size(), 2u);
  EXPECT_EQ(old_row->cells[1].value, "old-b");

  RowRecord update;
  update.cells = {cell("b", 20, "new-b")};
  auto merged = decode_row(encode_row(merge(*old_row, update)));
  ASSERT_TRUE(merged.has_value());
  ASSERT_EQ(merged->cells.size(), 2u);
  EXPECT_EQ(merged->cells[0].value, "old-a");
  EXPECT_EQ(merged->cells[1].value, "new-b");
}

// A record cut short, with bytes to spare, unknown flags, an overlong
// varint or a count no bytes back is refused, never read past its end.
TEST(RowRecordTest, MalformedCompactRecordsAreRefused) {
  RowRecord row;
  row.marker = Liveness{5, 0, 0};
  row.cells = {cell("a", 5, "value"), cell("b", 6, "other")};
  const std::string good = encode_row(row);
  for (std::size_t length = 0; length < good.size(); ++length) {
    EXPECT_FALSE(decode_row(good.substr(0, length)).has_value()) << length;
  }
  EXPECT_FALSE(decode_row(good + "x").has_value());
  std::string unknown_flag = good;
  unknown_flag[1] = static_cast<char>(0x80);
  EXPECT_FALSE(decode_row(unknown_flag).has_value());

  Writer huge_count;
  huge_count.u8('C');
  huge_count.u8(0);
  huge_count.i64(0);
  huge_count.varint(0);
  huge_count.varint(0);
  huge_count.varint(std::uint64_t{1} << 40);
  EXPECT_FALSE(decode_row(huge_count.take()).has_value());

  std::string overlong = good.substr(0, 10) + std::string(11, static_cast<char>(0xff));
  EXPECT_FALSE(decode_row(overlong).has_value());
}

TEST(RowRecordTest, ExpiryIsPartOfLiveness) {
  Liveness expiring{1, 10, 1000};
  EXPECT_TRUE(expiring.is_live(999));
  EXPECT_FALSE(expiring.is_live(1000));
  EXPECT_TRUE(Liveness{}.is_live(1 << 30));
}

TEST(PartitionHeaderTest, MergesTombstones) {
  PartitionHeader a;
  a.deletion = 5;
  a.ranges.push_back(RangeTombstone{{}, std::string("x"), true, std::nullopt, true, 10});
  PartitionHeader b;
  b.deletion = 7;
  b.ranges.push_back(RangeTombstone{{}, std::string("y"), false, std::nullopt, true, 6});
  PartitionHeader merged = merge(a, b);
  EXPECT_EQ(merged.deletion, 7);
  ASSERT_EQ(merged.ranges.size(), 1u);  // the range at 6 is older than the partition deletion
  auto decoded = decode_header(encode_header(merged));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->ranges[0].lower, "x");
}

}  // namespace
}  // namespace runnel::store::storage
