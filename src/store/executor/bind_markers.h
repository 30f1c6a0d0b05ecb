// What PREPARE tells a driver about a statement: the column each bind
// marker is bound to (its name and type), the markers of the partition key
// (for token-aware routing), and a SELECT's result columns.
#pragma once

#include "store/cql/statement.h"
#include "store/executor/context.h"

namespace runnel::store::executor {

// Fills bound_columns, partition_key_indexes and result_columns. Throws
// RequestError for unknown tables or columns.
void describe_markers(const Context& context, const cql3::ParsedStatement& parsed,
                      Prepared& prepared);

}  // namespace runnel::store::executor
