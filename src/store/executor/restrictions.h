// A WHERE clause bound to a table and to the statement's values: which
// partitions it names, which rows it keeps, and whether it would need
// filtering (Cassandra's ALLOW FILTERING rule).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/cql/statement.h"
#include "store/executor/context.h"

namespace runnel::store::executor {

struct BoundRelation {
  std::size_t column = 0;  // index in table.columns; the first one of a tuple
  cql3::Operator op = cql3::Operator::kEq;
  std::vector<std::string> values;  // one, or IN's list, or the tuple
  // (c1, c2) > (t1, t2): the tuple's columns, compared in order.
  std::vector<std::size_t> tuple_columns;
};

struct Restrictions {
  // Every partition the WHERE names, serialized; set only when each
  // partition key column has = or IN.
  std::optional<std::vector<std::string>> partition_keys;
  // token(...) bounds, inclusive.
  std::int64_t min_token = INT64_MIN;
  std::int64_t max_token = INT64_MAX;
  bool on_token = false;
  std::vector<BoundRelation> relations;  // all, token relations excepted
  bool needs_filtering = false;
  // Why the clustering restrictions need filtering, in Cassandra's words
  // (the answer without ALLOW FILTERING); empty for the generic message.
  std::string clustering_problem;
  // Clustering columns restricted with = or IN from the first on (their
  // values), for writes that name rows.
  std::vector<std::vector<std::string>> clustering_prefix;
  // A range on the clustering column after that prefix, for DELETE.
  std::optional<BoundRelation> clustering_lower;
  std::optional<BoundRelation> clustering_upper;
};

Restrictions bind_restrictions(const schema::TableDef& table,
                               const std::vector<cql3::Relation>& where,
                               const std::vector<BoundValue>& values);

// Whether a row with these column values (by table column) satisfies every
// relation.
bool satisfies(const schema::TableDef& table, const std::vector<BoundRelation>& relations,
               const std::vector<std::optional<std::string>>& row);

// The most keys IN restrictions may name together.
inline constexpr std::size_t kMaxCartesianProduct = 65536;

// Every combination of one value per list, in order (IN products); throws
// Invalid beyond kMaxCartesianProduct.
std::vector<std::vector<std::string>> cartesian(const std::vector<std::vector<std::string>>& lists);

}  // namespace runnel::store::executor
