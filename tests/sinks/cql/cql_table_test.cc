#include "sinks/cql/cql_table.h"

#include <gtest/gtest.h>

#include <string>

#include "cql/value.h"

namespace runnel::sinks {
namespace {

store::ColumnSpec column(std::string name, cql::TypeKind kind) {
  return {"ks", "t", std::move(name), cql::DataType::of(kind)};
}

TEST(CqlTable, PrintsHeaderSeparatorRightAlignedValuesAndCountAsCqlsh) {
  store::Rows rows;
  rows.columns = {column("id", cql::TypeKind::kInt), column("first_name", cql::TypeKind::kVarchar),
                  column("ok", cql::TypeKind::kBoolean)};
  rows.rows = {{cql::encode_int(1), std::string("Ann"), cql::encode_boolean(true)},
               {cql::encode_int(22), std::nullopt, cql::encode_boolean(false)}};
  EXPECT_EQ(format_rows_table(rows),
            "\n"
            " id | first_name | ok\n"
            "----+------------+-------\n"
            "  1 |        Ann |  True\n"
            " 22 |       null | False\n"
            "\n"
            "(2 rows)\n");
}

TEST(CqlTable, NoRowsStillShowTheHeaderAndWidthsCountCharactersNotBytes) {
  store::Rows rows;
  rows.columns = {column("name", cql::TypeKind::kVarchar)};
  EXPECT_EQ(format_rows_table(rows), "\n name\n------\n\n(0 rows)\n");
  rows.rows = {{std::string("J\xC3\xBCrgen")}};
  EXPECT_EQ(format_rows_table(rows), "\n name\n--------\n J\xC3\xBCrgen\n\n(1 rows)\n");
}

}  // namespace
}  // namespace runnel::sinks
