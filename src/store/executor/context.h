// What executing one statement needs: the catalog snapshot it runs against,
// the keyspace of the session (or of the PREPARE), the bound values, and
// the store's parts.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/cql/statement.h"
#include "store/schema/schema_store.h"
#include "store/schema/system_tables.h"
#include "store/schema/table.h"
#include "store/session.h"
#include "store/storage/database.h"

namespace runnel::store::executor {

struct StoreParts {
  storage::Database& database;
  schema::SchemaStore& schema;
  schema::NodeInfo node;
};

struct Context {
  StoreParts& store;
  std::shared_ptr<const schema::Catalog> catalog;
  std::string keyspace;  // for unqualified table names; may be empty
  const QueryParameters& parameters;
};

// The table a statement names; throws Invalid as Cassandra words it when
// the keyspace is missing or unknown or the table unknown.
std::shared_ptr<const schema::TableDef> resolve_table(const Context& context,
                                                      const cql3::QualifiedName& name);

// resolve_table() for a statement that writes or truncates: a system
// table also throws Unauthorized, as Cassandra's "keyspace is not
// user-modifiable".
std::shared_ptr<const schema::TableDef> resolve_writable_table(const Context& context,
                                                               const cql3::QualifiedName& name);

// The column's index; throws "Undefined column name x".
std::size_t resolve_column(const schema::TableDef& table, const std::string& name);

// The wall clock in milliseconds, for TTL expiry.
std::int64_t now_millis();

}  // namespace runnel::store::executor
