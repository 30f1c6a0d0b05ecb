#include "store/server/requests.h"

#include <algorithm>

#include "cql/codes.h"

namespace runnel::store::server {
namespace {

// The fewest bytes a [value] takes (its length), and a batch's statement
// (kind, an empty [short bytes] id, a [short] value count).
constexpr std::size_t kMinValueBytes = 4;
constexpr std::size_t kMinBatchStatementBytes = 5;

// Room for `count` items read next, as far as the body can hold them: a
// count in a malformed body reserves no more than its bytes could fill.
std::size_t at_most_readable(const cql::WireReader& reader, std::size_t count,
                             std::size_t min_item_bytes) {
  return std::min(count, reader.remaining() / min_item_bytes);
}

BoundValue read_bound_value(cql::WireReader& reader, int version) {
  cql::WireValue value = reader.read_value();
  switch (value.state) {
    case cql::WireValue::State::kSet:
      return BoundValue::set(std::move(value.bytes));
    case cql::WireValue::State::kNull:
      return BoundValue::null();
    case cql::WireValue::State::kUnset:
      if (version < 4) reader.fail("unset values need protocol v4");
      return BoundValue::unset();
  }
  return BoundValue::null();
}

// Reads <query_parameters>; returns whether Skip_metadata was set.
bool read_query_parameters(cql::WireReader& reader, int version, QueryParameters& parameters) {
  parameters.consistency = reader.read_consistency();
  std::uint8_t flags = reader.read_byte();
  if (flags & cql::kQueryValues) {
    std::uint16_t count = reader.read_short();
    parameters.values.reserve(at_most_readable(reader, count, kMinValueBytes));
    for (std::uint16_t i = 0; i < count && reader.ok(); ++i) {
      if (flags & cql::kQueryValueNames) parameters.value_names.push_back(reader.read_string());
      parameters.values.push_back(read_bound_value(reader, version));
    }
  }
  if (flags & cql::kQueryPageSize) parameters.page_size = reader.read_int();
  if (flags & cql::kQueryPagingState) {
    std::optional<std::string> paging_state = reader.read_bytes();
    if (paging_state) parameters.paging_state = std::move(paging_state);
  }
  if (flags & cql::kQuerySerialConsistency)
    parameters.serial_consistency = reader.read_consistency();
  if (flags & cql::kQueryDefaultTimestamp) {
    std::int64_t timestamp = reader.read_long();
    if (reader.ok() && timestamp < 0) reader.fail("negative default timestamp");
    parameters.default_timestamp = timestamp;
  }
  return (flags & cql::kQuerySkipMetadata) != 0;
}

}  // namespace

QueryRequest read_query(cql::WireReader& reader, int version) {
  QueryRequest request;
  request.cql = reader.read_long_string();
  request.skip_metadata = read_query_parameters(reader, version, request.parameters);
  return request;
}

ExecuteRequest read_execute(cql::WireReader& reader, int version) {
  ExecuteRequest request;
  request.prepared_id = reader.read_short_bytes();
  request.skip_metadata = read_query_parameters(reader, version, request.parameters);
  return request;
}

BatchRequest read_batch(cql::WireReader& reader, int version) {
  BatchRequest request;
  std::uint8_t type = reader.read_byte();
  if (reader.ok() && type > static_cast<std::uint8_t>(cql::BatchType::kCounter)) {
    reader.fail("unknown batch type " + std::to_string(type));
  }
  request.type = static_cast<cql::BatchType>(type);
  std::uint16_t count = reader.read_short();
  request.statements.reserve(at_most_readable(reader, count, kMinBatchStatementBytes));
  // Whether values carry names is said by the flags after the statements;
  // the spec says not to use names in a batch (CASSANDRA-10246) and no
  // driver does, so values are read without names and a batch whose flags
  // ask for names is refused.
  for (std::uint16_t i = 0; i < count && reader.ok(); ++i) {
    std::uint8_t kind = reader.read_byte();
    BatchStatement statement;
    if (kind == 0) {
      statement.query_or_id = reader.read_long_string();
    } else if (kind == 1) {
      statement.prepared = true;
      statement.query_or_id = reader.read_short_bytes();
    } else if (reader.ok()) {
      reader.fail("batch statement kind " + std::to_string(kind) + " is neither 0 nor 1");
    }
    std::uint16_t values = reader.read_short();
    statement.values.reserve(at_most_readable(reader, values, kMinValueBytes));
    for (std::uint16_t v = 0; v < values && reader.ok(); ++v) {
      statement.values.push_back(read_bound_value(reader, version));
    }
    request.statements.push_back(std::move(statement));
  }
  request.consistency = reader.read_consistency();
  std::uint8_t flags = reader.read_byte();
  if (reader.ok() && (flags & cql::kQueryValueNames)) {
    reader.fail("named values in a BATCH are not supported (CASSANDRA-10246)");
  }
  if (flags & cql::kQuerySerialConsistency) request.serial_consistency = reader.read_consistency();
  if (flags & cql::kQueryDefaultTimestamp) request.default_timestamp = reader.read_long();
  return request;
}

std::string read_prepare(cql::WireReader& reader) { return reader.read_long_string(); }

std::map<std::string, std::string> read_startup(cql::WireReader& reader) {
  return reader.read_string_map();
}

std::string read_auth_response(cql::WireReader& reader) {
  return reader.read_bytes().value_or(std::string());
}

std::vector<std::string> read_register(cql::WireReader& reader) {
  return reader.read_string_list();
}

}  // namespace runnel::store::server
