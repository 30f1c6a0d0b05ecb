// INSERT, UPDATE and DELETE: the row records and partition headers they
// write, merged by RocksDB without reading first (collection appends and
// element updates excepted, which read the current collection). A
// conditional statement (IF ...) is checked against the current row first;
// the caller serializes conditional statements.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>
#include <optional>

#include "store/cql/statement.h"
#include "store/executor/context.h"

namespace runnel::store::executor {

bool is_conditional(const cql3::Modification& statement);

// The partitions the statement writes, as keyspace, table and serialized
// partition key in one string each (for the one-partition rule of
// conditional batches).
std::vector<std::string> partitions_written(const Context& context,
                                            const cql3::Modification& statement,
                                            const std::vector<BoundValue>& values);

// Adds the statement's writes to `batch`. A conditional statement whose
// condition fails adds nothing; its [applied] result is returned then (and
// when it succeeds).
std::optional<Rows> add_modification(const Context& context, const cql3::Modification& statement,
                                     const std::vector<BoundValue>& values,
                                     std::optional<std::int64_t> batch_timestamp,
                                     rocksdb::WriteBatch& batch);

}  // namespace runnel::store::executor
