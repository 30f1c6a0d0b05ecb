// The store as the CQL server sees it: a Store is the database (keyspaces,
// tables and rows on RocksDB, prepared statements); a Session is one client
// connection's view of it (its current keyspace). The server turns frames
// into these calls and these answers into frames; nothing here knows about
// frames or sockets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"
#include "cql/codes.h"
#include "cql/data_type.h"

namespace runnel::store {

// A value bound to a marker, as the protocol sends it: a serialized value,
// null ([bytes] length -1) or unset (length -2, v4).
struct BoundValue {
  enum class State { kSet, kNull, kUnset };
  State state = State::kNull;
  std::string bytes;  // the serialized value when kSet

  static BoundValue set(std::string bytes) { return {State::kSet, std::move(bytes)}; }
  static BoundValue null() { return {State::kNull, {}}; }
  static BoundValue unset() { return {State::kUnset, {}}; }
};

// The <query_parameters> of QUERY and EXECUTE (spec section 4.1.4).
struct QueryParameters {
  cql::Consistency consistency = cql::Consistency::kOne;
  std::vector<BoundValue> values;
  std::vector<std::string> value_names;  // empty unless sent with names
  std::int32_t page_size = -1;           // <= 0: all rows in one page
  std::optional<std::string> paging_state;
  std::optional<cql::Consistency> serial_consistency;
  std::optional<std::int64_t> default_timestamp;  // microseconds since the epoch
};

struct ColumnSpec {
  std::string keyspace;
  std::string table;
  std::string name;
  cql::DataType type;
};

// A Rows result; paging_state is set when more rows follow.
struct Rows {
  std::vector<ColumnSpec> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;  // serialized values
  std::optional<std::string> paging_state;
};

struct SetKeyspace {
  std::string keyspace;
};

// A Schema_change result (spec section 4.2.5.5), also pushed as an event to
// connections that registered for SCHEMA_CHANGE.
struct SchemaChange {
  std::string change_type;  // "CREATED", "UPDATED", "DROPPED"
  std::string target;       // "KEYSPACE", "TABLE"
  std::string keyspace;
  std::string name;  // the table; empty for a keyspace
};

struct Void {};

// An error as Cassandra sends it (spec section 9). Extra fields are those
// the spec gives the code.
struct CqlError {
  cql::ErrorCode code = cql::ErrorCode::kServerError;
  std::string message;
  std::string keyspace;       // kAlreadyExists
  std::string table;          // kAlreadyExists; empty for a keyspace
  std::string unprepared_id;  // kUnprepared
};

using Outcome = std::variant<Void, Rows, SetKeyspace, SchemaChange, CqlError>;

// A prepared statement's metadata (spec section 4.2.5.4).
struct Prepared {
  std::string id;                         // 16 bytes: MD5 of the keyspace and the query text
  std::vector<ColumnSpec> bound_columns;  // one per marker, in order
  std::vector<std::uint16_t> partition_key_indexes;
  std::vector<ColumnSpec> result_columns;  // SELECT's columns; empty otherwise
};

// One statement of a BATCH (spec section 4.1.7).
struct BatchStatement {
  bool prepared = false;
  std::string query_or_id;  // the CQL text, or the prepared id
  std::vector<BoundValue> values;
};

// The most memory the store's block cache (Cassandra's file cache) holds:
// blocks of rows read, uncompressed. Only reads fill it.
inline constexpr std::size_t kDefaultCacheBytes = std::size_t{128} << 20;

struct StoreOptions {
  std::string data_dir;  // the store's RocksDB lives in <data_dir>/store
  // The address clients connect to, shown as system.local's rpc_address
  // and broadcast_address.
  std::string listen_address = "127.0.0.1";
  int listen_port = 9042;
  std::size_t cache_bytes = kDefaultCacheBytes;
};

class Session;

// Safe to use from many threads at once.
class Store {
 public:
  static Result<std::unique_ptr<Store>> open(const StoreOptions& options);
  virtual ~Store() = default;

  virtual std::unique_ptr<Session> open_session() = 0;
  // Whether executing the prepared statement reads one partition (a SELECT
  // with every partition key column restricted by `=`): work small enough
  // for the server to run on the connection's own thread.
  virtual bool is_single_partition_read(std::string_view prepared_id) const = 0;
  // Syncs what is written; called on shutdown. Acknowledged writes are
  // already durable (the write-ahead log is synced before an answer).
  virtual Status close() = 0;
};

// One connection's view. Used by one thread at a time.
class Session {
 public:
  virtual ~Session() = default;

  virtual Outcome query(std::string_view cql, const QueryParameters& parameters) = 0;
  virtual std::variant<Prepared, CqlError> prepare(std::string_view cql) = 0;
  // kUnprepared when the id is not known (e.g. after a restart).
  virtual Outcome execute(std::string_view prepared_id, const QueryParameters& parameters) = 0;
  virtual Outcome batch(cql::BatchType type, const std::vector<BatchStatement>& statements,
                        cql::Consistency consistency,
                        std::optional<std::int64_t> default_timestamp) = 0;

  // The keyspace USE chose; empty before any.
  virtual const std::string& keyspace() const = 0;
};

}  // namespace runnel::store
