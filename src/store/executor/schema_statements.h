// CREATE/DROP KEYSPACE, CREATE/DROP/TRUNCATE TABLE: checked here, applied
// by the SchemaStore.
#pragma once

#include "store/cql/statement.h"
#include "store/executor/context.h"

namespace runnel::store::executor {

Outcome create_keyspace(const Context& context, const cql3::CreateKeyspace& statement);
Outcome drop_keyspace(const Context& context, const cql3::DropKeyspace& statement);
Outcome create_table(const Context& context, const cql3::CreateTable& statement);
Outcome drop_table(const Context& context, const cql3::DropTable& statement);
Outcome truncate_table(const Context& context, const cql3::TruncateTable& statement);

}  // namespace runnel::store::executor
