// The CQL the Cassandra sink runs, derived from a stream::Schema: the
// keyspace and table DDL, the upsert of a row, the offsets table and its
// statements, and a Row's values bound as serialized CQL values.
//
// Types: text -> text, int -> int, bigint -> bigint, double -> double,
// boolean -> boolean, uuid -> uuid, timestamp -> timestamp (milliseconds;
// a Row's microseconds are floored). The schema's primary key is the
// table's partition key (all of it, so a row's key is one partition).
//
// A table that already exists may have other column types; a field also
// goes into a text (or ascii) column as text (a timestamp in ISO 8601 UTC,
// "2024-05-01T12:34:56.789000Z", as the classic project's table keeps dob
// and registered_date), an int into a bigint, and text into a uuid or
// timeuuid when it is one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "cql/data_type.h"
#include "store/session.h"
#include "stream/schema.h"

namespace runnel::sinks {

inline constexpr std::string_view kCassandraOffsetsTable = "runnel_offsets";

// Where the sink writes: `keyspace`.`table`.
struct CassandraTable {
  std::string keyspace = "spark_streams";
  std::string table = "created_users";
};

// A name as CQL takes it: unchanged when it is a lower-case unquoted
// identifier ([a-z][a-z0-9_]*), else double-quoted with quotes doubled.
std::string cql_identifier(std::string_view name);

// The CQL type of a field: "text", "int", ...
std::string_view cql_type(stream::FieldType type);

// Ok when `name` can be a keyspace or table: 1 to 48 of [A-Za-z0-9_].
Status check_cql_name(std::string_view what, std::string_view name);

// CREATE KEYSPACE IF NOT EXISTS <keyspace> WITH replication = <replication>;
// `replication` is a CQL map literal, e.g.
// {'class': 'SimpleStrategy', 'replication_factor': '1'}.
std::string create_keyspace_cql(std::string_view keyspace, std::string_view replication);

// CREATE TABLE IF NOT EXISTS with every field and the schema's primary key.
// REQUIRES: the schema has a primary key of its own fields.
std::string create_table_cql(const CassandraTable& target, const stream::Schema& schema);
// INSERT INTO <target> (<fields>) VALUES (?, ...): one marker per field.
std::string insert_cql(const CassandraTable& target, const stream::Schema& schema);

// <keyspace>.runnel_offsets (job text, topic text, partition int,
// next_offset bigint, PRIMARY KEY ((job), topic, partition)): one partition
// per job, so a batch of its offsets is applied atomically.
std::string create_offsets_table_cql(std::string_view keyspace);
// Markers: job, topic, partition, next_offset.
std::string upsert_offset_cql(std::string_view keyspace);
// Marker: job. Columns: topic, partition, next_offset.
std::string select_offsets_cql(std::string_view keyspace);

// Ok when values of `field` can go into a column of type `column` (see
// above); else invalid_argument naming both.
Status check_column(const stream::SchemaField& field, const cql::DataType& column);

// The row's values in field order, serialized for their columns' types
// (`columns`, one per field, each passing check_column); null stays null.
// invalid_argument for a null key, a value of the wrong kind (text in an int
// field), an int out of range, or a malformed uuid.
// REQUIRES: row.values.size() == schema.fields.size() == columns.size()
Result<std::vector<store::BoundValue>> bind_row(const stream::Schema& schema,
                                                const std::vector<cql::DataType>& columns,
                                                const stream::Row& row);
// The types create_table_cql gives the schema's fields, in field order.
std::vector<cql::DataType> native_columns(const stream::Schema& schema);

}  // namespace runnel::sinks
