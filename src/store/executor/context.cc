#include "store/executor/context.h"

#include <chrono>

#include "store/executor/request_error.h"

namespace runnel::store::executor {

std::shared_ptr<const schema::TableDef> resolve_table(const Context& context,
                                                      const cql3::QualifiedName& name) {
  const std::string& keyspace = name.keyspace.empty() ? context.keyspace : name.keyspace;
  if (keyspace.empty()) {
    throw_invalid(
        "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
  }
  if (context.catalog->keyspace(keyspace) == nullptr) {
    throw_invalid("Keyspace " + keyspace + " does not exist");
  }
  auto table = context.catalog->table(keyspace, name.name);
  if (table == nullptr) throw_invalid("unconfigured table " + name.name);
  return table;
}

std::shared_ptr<const schema::TableDef> resolve_writable_table(const Context& context,
                                                               const cql3::QualifiedName& name) {
  auto table = resolve_table(context, name);
  if (table->is_virtual)
    throw_error(runnel::cql::ErrorCode::kUnauthorized,
                table->keyspace + " keyspace is not user-modifiable.");
  return table;
}

std::size_t resolve_column(const schema::TableDef& table, const std::string& name) {
  int index = table.find(name);
  if (index < 0) throw_invalid("Undefined column name " + name);
  return static_cast<std::size_t>(index);
}

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace runnel::store::executor
