// SELECT: the rows of the partitions the WHERE names (or of the whole
// table, in token order), filtered, ordered, limited and paged.
#pragma once

#include <vector>

#include "store/cql/statement.h"
#include "store/executor/context.h"

namespace runnel::store::executor {

Rows execute_select(const Context& context, const cql3::Select& select);

// The result columns a SELECT returns, for PREPARE's metadata.
std::vector<ColumnSpec> select_columns(const schema::TableDef& table, const cql3::Select& select);

// Whether the SELECT reads one partition of `table`, whatever its values:
// every partition key column restricted with `=` (Cassandra's single-partition
// read). Its work is bounded by the partition and the page size.
bool reads_single_partition(const schema::TableDef& table, const cql3::Select& select);

}  // namespace runnel::store::executor
