// The SQL the PostgreSQL sink runs, derived from a stream::Schema: the
// target table's DDL, the per-connection staging table, the upsert from
// staging into the target, and the offsets table and its statements.
// Identifiers are always double-quoted, so any field or table name works.
#pragma once

#include <string>
#include <string_view>

#include "stream/schema.h"

namespace runnel::sinks {

// The staging table's extra first column: the row's place in its batch, so
// that of two rows with the same key the later one wins.
inline constexpr std::string_view kOrdinalColumn = "runnel_ordinal";
inline constexpr std::string_view kStagingTable = "runnel_staging";
inline constexpr std::string_view kOffsetsTable = "runnel_offsets";

// Where the sink writes: `schema_name`.`table`.
struct TableName {
  std::string schema_name = "public";
  std::string table = "created_users";
};

// "name" with embedded quotes doubled.
std::string quote_identifier(std::string_view name);
// "schema"."table"
std::string qualified(const TableName& name);
std::string qualified_offsets(const TableName& target);

// The PostgreSQL type of a field: text, integer, bigint, double precision,
// boolean, uuid, timestamptz.
std::string_view postgres_type(stream::FieldType type);

// CREATE TABLE IF NOT EXISTS with NOT NULL for required fields and the
// schema's primary key.
std::string create_table_sql(const TableName& target, const stream::Schema& schema);
std::string create_offsets_table_sql(const TableName& target);

// A temporary table shaped like the target plus the ordinal column, emptied
// at every commit. Session-local: created once per connection.
std::string create_staging_sql(const TableName& target);
// COPY <target> (<fields>) FROM STDIN: new rows straight into the target.
std::string copy_target_sql(const TableName& target, const stream::Schema& schema);
// COPY runnel_staging (runnel_ordinal, <fields>) FROM STDIN
std::string copy_staging_sql(const stream::Schema& schema);

// Moves the staging rows into the target: one row per key (the highest
// ordinal), inserted, or updating every non-key column of the row already
// there. Without a primary key, a plain insert.
std::string upsert_from_staging_sql(const TableName& target, const stream::Schema& schema);

// $1 job, $2 topic, $3 partition, $4 next_offset: inserts or overwrites.
std::string upsert_offset_sql(const TableName& target);
// $1 job: rows (topic, partition, next_offset).
std::string select_offsets_sql(const TableName& target);
// $1 schema, $2 table: the target's columns, (name, udt_name) each.
std::string_view select_columns_sql();

}  // namespace runnel::sinks
