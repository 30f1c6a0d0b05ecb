#include "cql/data_type.h"

#include <gtest/gtest.h>

namespace runnel::cql {
namespace {

TEST(DataTypeTest, ParsesNativeNamesCaseInsensitively) {
  EXPECT_EQ(DataType::parse("int")->kind, TypeKind::kInt);
  EXPECT_EQ(DataType::parse("TEXT")->kind, TypeKind::kVarchar);
  EXPECT_EQ(DataType::parse("varchar")->kind, TypeKind::kVarchar);
  EXPECT_EQ(DataType::parse(" TimeUUID ")->kind, TypeKind::kTimeuuid);
}

TEST(DataTypeTest, ParsesCollectionsAndDropsFrozen) {
  auto map = DataType::parse("map<text, frozen<list<int>>>");
  ASSERT_TRUE(map.is_ok());
  EXPECT_EQ(*map, DataType::map_of(DataType::of(TypeKind::kVarchar),
                                   DataType::list_of(DataType::of(TypeKind::kInt))));
  EXPECT_EQ(DataType::parse("frozen<set<uuid>>")->kind, TypeKind::kSet);
}

TEST(DataTypeTest, RejectsUnknownNames) {
  EXPECT_FALSE(DataType::parse("integer").is_ok());
  EXPECT_FALSE(DataType::parse("list<int").is_ok());
  EXPECT_FALSE(DataType::parse("map<int>").is_ok());
}

TEST(DataTypeTest, CqlNameAsSystemSchemaShowsIt) {
  EXPECT_EQ(DataType::of(TypeKind::kVarchar).cql_name(), "text");
  EXPECT_EQ(DataType::parse("MAP<TEXT,INT>")->cql_name(), "map<text, int>");
  EXPECT_EQ(DataType::parse("set<timestamp>")->cql_name(), "set<timestamp>");
}

}  // namespace
}  // namespace runnel::cql
