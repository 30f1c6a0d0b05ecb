#include "sinks/cql/cassandra_sink.h"

#include <deque>
#include <thread>
#include <unordered_map>
#include <utility>

#include "common/logging.h"
#include "cql/value.h"

namespace runnel::sinks {
namespace {

constexpr std::int32_t kOffsetsPageSize = 1000;

Status check_schema(const stream::Schema& schema) {
  if (schema.fields.empty()) return invalid_argument("cassandra: schema has no fields");
  if (schema.primary_key.empty()) {
    return invalid_argument("cassandra: schema " + schema.name +
                            " has no primary key; a Cassandra table needs one");
  }
  for (const std::string& key : schema.primary_key) {
    if (!schema.index_of(key)) {
      return invalid_argument("cassandra: primary key column " + key + " is not a schema field");
    }
  }
  return Status::ok();
}

Status check_rows(const stream::Schema& schema, const stream::Batch& batch) {
  for (size_t i = 0; i < batch.rows.size(); ++i) {
    if (batch.rows[i].values.size() != schema.fields.size()) {
      return invalid_argument("cassandra: row " + std::to_string(i) + " of batch " +
                              std::to_string(batch.id) + " has " +
                              std::to_string(batch.rows[i].values.size()) + " values for " +
                              std::to_string(schema.fields.size()) + " fields");
    }
  }
  return Status::ok();
}

// Ok for an answer that is not an error. A node's error becomes
// unavailable when waiting may cure it (timeouts, too few replicas),
// invalid_argument when the statement or its data is wrong, internal
// otherwise.
Status answer_status(const Result<CqlResponse>& response, std::string_view what) {
  if (!response) return response.status();
  const auto* error = std::get_if<store::CqlError>(&*response);
  if (error == nullptr) return Status::ok();
  std::string message = "cassandra: " + std::string(what) + ": " + describe(*error);
  switch (error->code) {
    case cql::ErrorCode::kUnavailable:
    case cql::ErrorCode::kOverloaded:
    case cql::ErrorCode::kIsBootstrapping:
    case cql::ErrorCode::kWriteTimeout:
    case cql::ErrorCode::kReadTimeout:
    case cql::ErrorCode::kWriteFailure:
    case cql::ErrorCode::kReadFailure:
      return unavailable(std::move(message));
    case cql::ErrorCode::kSyntaxError:
    case cql::ErrorCode::kInvalid:
    case cql::ErrorCode::kConfigError:
      return invalid_argument(std::move(message));
    default:
      return internal_error(std::move(message));
  }
}

// The row's primary key values, each length-prefixed, as one string.
std::string key_of(const std::vector<size_t>& key_fields,
                   const std::vector<store::BoundValue>& values) {
  std::string key;
  for (size_t field : key_fields) {
    key += std::to_string(values[field].bytes.size());
    key += ':';
    key += values[field].bytes;
  }
  return key;
}

}  // namespace

CassandraSink::CassandraSink(CassandraSinkConfig config) : config_(std::move(config)) {}

Result<std::vector<stream::SourceOffset>> CassandraSink::open(const stream::Schema& schema,
                                                              const std::string& job) {
  if (Status status = check_schema(schema); !status.is_ok()) return status;
  if (Status status = check_cql_name("keyspace", config_.target.keyspace); !status.is_ok()) {
    return status;
  }
  if (Status status = check_cql_name("table", config_.target.table); !status.is_ok()) {
    return status;
  }
  schema_ = schema;
  job_ = job;
  if (Status status = connect(); !status.is_ok()) return status;
  auto offsets = stored_offsets();
  if (!offsets) return offsets.status();
  spdlog::info("cassandra sink: job {} writes to {}.{}; {} stored offset(s)", job_,
               config_.target.keyspace, config_.target.table, offsets->size());
  return offsets;
}

void CassandraSink::request_stop() { stop_->request(); }

Status CassandraSink::connect() {
  auto points = parse_contact_points(config_.contact_points);
  if (!points) return points.status();
  CqlClientOptions options;
  options.contact_points = std::move(points).value();
  options.connection.user = config_.user;
  options.connection.password = config_.password;
  options.connection.request_timeout = config_.request_timeout;
  options.connections_per_node = config_.connections_per_node;
  options.first_backoff = config_.first_backoff;
  options.max_backoff = config_.max_backoff;
  options.give_up_after = config_.give_up_after;
  options.stop = stop_;

  auto started = std::chrono::steady_clock::now();
  std::chrono::milliseconds backoff = config_.first_backoff;
  for (;;) {
    auto client = CqlClient::connect(options);
    if (client) {
      client_ = std::move(client).value();
      break;
    }
    if (client.status().code() != StatusCode::kUnavailable ||
        std::chrono::steady_clock::now() + backoff > started + config_.give_up_after) {
      return client.status();
    }
    spdlog::warn("cassandra sink: {}; connecting again in {} ms", client.status().message(),
                 backoff.count());
    if (stop_->wait_for(backoff)) {
      return unavailable(client.status().message() + "; stopped before connecting again");
    }
    backoff = std::min(backoff * 2, config_.max_backoff);
  }

  const std::string statements[] = {
      create_keyspace_cql(config_.target.keyspace, config_.replication),
      create_table_cql(config_.target, schema_),
      create_offsets_table_cql(config_.target.keyspace),
  };
  for (const std::string& cql : statements) {
    if (Status status = run_schema_statement(cql); !status.is_ok()) return status;
  }
  auto insert = client_->prepare(insert_cql(config_.target, schema_));
  if (!insert) return insert.status();
  insert_ = std::move(insert).value();
  if (Status status = check_columns(); !status.is_ok()) return status;
  auto upsert_offset = client_->prepare(upsert_offset_cql(config_.target.keyspace));
  if (!upsert_offset) return upsert_offset.status();
  upsert_offset_ = std::move(upsert_offset).value();
  auto select_offsets = client_->prepare(select_offsets_cql(config_.target.keyspace));
  if (!select_offsets) return select_offsets.status();
  select_offsets_ = std::move(select_offsets).value();
  return Status::ok();
}

Status CassandraSink::check_columns() {
  const auto& bound = insert_->prepared.bound_columns;
  if (bound.size() != schema_.fields.size()) {
    return data_loss("cassandra: the INSERT into " + config_.target.table + " has " +
                     std::to_string(bound.size()) + " markers for " +
                     std::to_string(schema_.fields.size()) + " fields");
  }
  columns_.clear();
  for (size_t i = 0; i < bound.size(); ++i) {
    if (Status status = check_column(schema_.fields[i], bound[i].type); !status.is_ok()) {
      return status;
    }
    columns_.push_back(bound[i].type);
  }
  return Status::ok();
}

Status CassandraSink::run_schema_statement(const std::string& cql) {
  store::QueryParameters parameters;
  parameters.consistency = config_.consistency;
  return answer_status(client_->query(cql, parameters, true), cql);
}

Result<std::vector<stream::SourceOffset>> CassandraSink::stored_offsets() {
  std::vector<stream::SourceOffset> offsets;
  store::QueryParameters parameters;
  parameters.consistency = config_.consistency;
  parameters.values = {store::BoundValue::set(job_)};
  parameters.page_size = kOffsetsPageSize;
  for (;;) {
    auto response = client_->execute(select_offsets_, parameters, true);
    if (Status status = answer_status(response, "reading runnel_offsets"); !status.is_ok()) {
      return status;
    }
    const auto* rows = std::get_if<store::Rows>(&*response);
    if (rows == nullptr) return data_loss("cassandra: reading runnel_offsets returned no rows");
    for (const auto& row : rows->rows) {
      if (row.size() != 3 || !row[0] || !row[1] || row[1]->size() != 4 || !row[2] ||
          row[2]->size() != 8) {
        return data_loss("cassandra: unreadable row in " + config_.target.keyspace + "." +
                         std::string(kCassandraOffsetsTable));
      }
      offsets.push_back({*row[0], cql::decode_int(*row[1]), cql::decode_bigint(*row[2])});
    }
    if (!rows->paging_state) return offsets;
    parameters.paging_state = rows->paging_state;
  }
}

Status CassandraSink::write(const stream::Batch& batch) {
  if (batch.rows.empty() && batch.end_offsets.empty()) return Status::ok();
  if (Status status = check_rows(schema_, batch); !status.is_ok()) return status;
  std::int64_t timestamp = next_timestamp();
  if (Status status = write_rows(batch, timestamp); !status.is_ok()) return status;
  return write_offsets(batch, timestamp);
}

Status CassandraSink::write_rows(const stream::Batch& batch, std::int64_t timestamp) {
  std::vector<std::vector<store::BoundValue>> bound;
  bound.reserve(batch.rows.size());
  for (const stream::Row& row : batch.rows) {
    auto values = bind_row(schema_, columns_, row);
    if (!values) return values.status();
    bound.push_back(std::move(values).value());
  }
  std::vector<size_t> key_fields;
  for (const std::string& key : schema_.primary_key) key_fields.push_back(*schema_.index_of(key));
  // The last row of each key: concurrent requests are applied in any order.
  std::unordered_map<std::string, size_t> last_of_key;
  for (size_t i = 0; i < bound.size(); ++i) last_of_key[key_of(key_fields, bound[i])] = i;

  std::deque<PendingRequest> in_flight;
  auto settle_oldest = [&]() -> Status {
    auto response = client_->wait(std::move(in_flight.front()));
    in_flight.pop_front();
    return answer_status(response, "writing batch " + std::to_string(batch.id));
  };
  std::vector<BatchEntry> entries;
  size_t entry_bytes = 0;
  auto send_entries = [&]() -> Status {
    if (in_flight.size() >= static_cast<size_t>(config_.max_requests_in_flight)) {
      if (Status status = settle_oldest(); !status.is_ok()) return status;
    }
    in_flight.push_back(client_->send(CqlClient::batch_request(
        cql::BatchType::kUnlogged, entries, config_.consistency, timestamp, true)));
    entries.clear();
    entry_bytes = 0;
    return Status::ok();
  };
  for (size_t i = 0; i < bound.size(); ++i) {
    if (last_of_key[key_of(key_fields, bound[i])] != i) continue;
    for (const store::BoundValue& value : bound[i]) entry_bytes += value.bytes.size();
    entries.push_back({insert_, std::move(bound[i])});
    if (entries.size() >= static_cast<size_t>(config_.rows_per_request) ||
        entry_bytes >= config_.max_request_bytes) {
      if (Status status = send_entries(); !status.is_ok()) return status;
    }
  }
  if (!entries.empty()) {
    if (Status status = send_entries(); !status.is_ok()) return status;
  }
  while (!in_flight.empty()) {
    if (Status status = settle_oldest(); !status.is_ok()) return status;
  }
  return Status::ok();
}

Status CassandraSink::write_offsets(const stream::Batch& batch, std::int64_t timestamp) {
  if (batch.end_offsets.empty()) return Status::ok();
  std::vector<BatchEntry> entries;
  for (const stream::SourceOffset& offset : batch.end_offsets) {
    entries.push_back({upsert_offset_,
                       {store::BoundValue::set(job_), store::BoundValue::set(offset.topic),
                        store::BoundValue::set(cql::encode_int(offset.partition)),
                        store::BoundValue::set(cql::encode_bigint(offset.next_offset))}});
  }
  auto response = client_->wait(client_->send(CqlClient::batch_request(
      cql::BatchType::kUnlogged, entries, config_.consistency, timestamp, true)));
  return answer_status(response, "storing the offsets of batch " + std::to_string(batch.id));
}

std::int64_t CassandraSink::next_timestamp() {
  auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  last_timestamp_ = std::max<std::int64_t>(now, last_timestamp_ + 1);
  return last_timestamp_;
}

}  // namespace runnel::sinks
