#include "sinks/postgres_sink.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <utility>

#include "common/logging.h"
#include "sinks/copy_binary.h"
#include "sinks/copy_text.h"

namespace runnel::sinks {
namespace {

constexpr char kUpsertStatement[] = "runnel_upsert";
constexpr char kOffsetStatement[] = "runnel_offset";
// COPY data goes to libpq in pieces of about this size.
constexpr size_t kCopyChunkBytes = 1 << 20;

template <typename Number>
std::optional<Number> parse_number(const std::optional<std::string>& text) {
  Number number{};
  if (!text) return std::nullopt;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), number);
  if (error != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return number;
}

Status check_schema(const stream::Schema& schema) {
  if (schema.fields.empty()) return invalid_argument("postgres: schema has no fields");
  for (const std::string& key : schema.primary_key) {
    if (!schema.index_of(key)) {
      return invalid_argument("postgres: primary key column " + key + " is not a schema field");
    }
  }
  return Status::ok();
}

Status check_rows(const stream::Schema& schema, const stream::Batch& batch) {
  for (size_t i = 0; i < batch.rows.size(); ++i) {
    if (batch.rows[i].values.size() != schema.fields.size()) {
      return invalid_argument("postgres: row " + std::to_string(i) + " of batch " +
                              std::to_string(batch.id) + " has " +
                              std::to_string(batch.rows[i].values.size()) + " values for " +
                              std::to_string(schema.fields.size()) + " fields");
    }
  }
  return Status::ok();
}

}  // namespace

PostgresSink::PostgresSink(PostgresSinkConfig config) : config_(std::move(config)) {}

Result<std::vector<stream::SourceOffset>> PostgresSink::open(const stream::Schema& schema,
                                                             const std::string& job) {
  if (Status status = check_schema(schema); !status.is_ok()) return status;
  schema_ = schema;
  job_ = job;
  connection_.reset();
  std::vector<stream::SourceOffset> offsets;
  Status status = with_retries([&]() -> Status {
    auto stored = stored_offsets();
    if (!stored) return stored.status();
    offsets = std::move(stored).value();
    return Status::ok();
  });
  if (!status.is_ok()) return status;
  spdlog::info("postgres sink: job {} writes to {}; {} stored offset(s)", job_,
               qualified(config_.target), offsets.size());
  return offsets;
}

Status PostgresSink::write(const stream::Batch& batch) {
  if (batch.rows.empty() && batch.end_offsets.empty()) return Status::ok();
  if (Status status = check_rows(schema_, batch); !status.is_ok()) return status;
  Status status = with_retries([&]() -> Status {
    if (commit_unknown_) {
      auto committed = already_committed(batch);
      if (!committed) return committed.status();
      if (*committed) {
        spdlog::info("postgres sink: batch {} had committed before the connection was lost",
                     batch.id);
        return Status::ok();
      }
    }
    return write_transaction(batch);
  });
  commit_unknown_ = status.code() == StatusCode::kUnavailable;
  return status;
}

void PostgresSink::request_stop() { stop_.request(); }

Status PostgresSink::with_retries(const std::function<Status()>& attempt) {
  auto started = std::chrono::steady_clock::now();
  auto give_up_at = started + config_.give_up_after;
  std::chrono::milliseconds backoff = config_.first_backoff;
  for (;;) {
    Status status = connection_ ? Status::ok() : connect_session();
    if (status.is_ok()) status = attempt();
    if (status.is_ok() || status.code() != StatusCode::kUnavailable) return status;
    // Whatever the connection's state, the next attempt starts afresh.
    commit_unknown_ = true;
    if (!wait_to_retry(status, give_up_at, backoff)) {
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      return unavailable(status.message() + " (gave up after " + std::to_string(waited.count()) +
                         " ms of retries)");
    }
  }
}

Status PostgresSink::connect_session() {
  auto connection = PgConnection::connect(config_.url);
  if (!connection) return connection.status();
  connection_.emplace(std::move(connection).value());
  const std::string statements[] = {
      // A large batch's staging rows and its deduplicating sort stay in
      // memory instead of spilling to temporary files (the defaults, 8 MB
      // and 4 MB, hold about 25k and 10k created users). Memory is taken
      // only as used; temp_buffers must be set before the staging table.
      "SET temp_buffers = '256MB'",
      "SET work_mem = '256MB'",
      create_table_sql(config_.target, schema_),
      create_offsets_table_sql(config_.target),
  };
  for (const std::string& sql : statements) {
    if (Status status = connection_->execute(sql); !status.is_ok()) return status;
  }
  if (Status status = check_columns(); !status.is_ok()) return status;
  if (Status status = connection_->execute(create_staging_sql(config_.target)); !status.is_ok()) {
    return status;
  }
  if (Status status =
          connection_->prepare(kUpsertStatement, upsert_from_staging_sql(config_.target, schema_));
      !status.is_ok()) {
    return status;
  }
  return connection_->prepare(kOffsetStatement, upsert_offset_sql(config_.target));
}

Status PostgresSink::check_columns() {
  auto columns = connection_->query(std::string(select_columns_sql()),
                                    {config_.target.schema_name, config_.target.table});
  if (!columns) return columns.status();
  binary_columns_.emplace();
  for (const stream::SchemaField& field : schema_.fields) {
    auto column = std::find_if(columns->begin(), columns->end(),
                               [&](const PgRow& row) { return row[0] == field.name; });
    if (column == columns->end()) {
      return invalid_argument("postgres: table " + qualified(config_.target) +
                              " has no column for field " + field.name);
    }
    auto binary = binary_column(field.type, (*column)[1].value_or(""));
    if (binary && binary_columns_) {
      binary_columns_->push_back(*binary);
    } else if (binary_columns_) {
      spdlog::info("postgres sink: column {} of {} is {}, so rows go in COPY's text format",
                   field.name, qualified(config_.target), (*column)[1].value_or("?"));
      binary_columns_.reset();
    }
  }
  const std::string_view format = binary_columns_ ? " (FORMAT binary)" : "";
  copy_sql_ = copy_staging_sql(schema_) + std::string(format);
  copy_target_sql_ = copy_target_sql(config_.target, schema_) + std::string(format);
  return Status::ok();
}

// Appends rows from `next` on to `chunk` until it holds about
// kCopyChunkBytes, each led by its index in the batch when `with_ordinal`
// (the staging table's ordinal). True while rows remain; invalid argument
// for a value the binary format cannot carry into its column.
Result<bool> PostgresSink::fill_copy_chunk(const stream::Batch& batch, bool with_ordinal,
                                           size_t& next, std::string& chunk) const {
  if (binary_columns_ && next == 0) append_copy_binary_header(chunk);
  while (next < batch.rows.size() && chunk.size() < kCopyChunkBytes) {
    const stream::Row& row = batch.rows[next];
    const auto ordinal = static_cast<int64_t>(next);
    if (binary_columns_) {
      Status appended = with_ordinal
                            ? append_copy_binary_row(schema_, *binary_columns_, ordinal, row, chunk)
                            : append_copy_binary_row(schema_, *binary_columns_, row, chunk);
      if (!appended.is_ok()) {
        return invalid_argument("postgres: row " + std::to_string(next) + " of batch " +
                                std::to_string(batch.id) + ": " + appended.message());
      }
    } else if (with_ordinal) {
      append_copy_row(schema_, ordinal, row, chunk);
    } else {
      append_copy_row(schema_, row, chunk);
    }
    ++next;
  }
  const bool more = next < batch.rows.size();
  if (binary_columns_ && !more) append_copy_binary_trailer(chunk);
  return more;
}

Status PostgresSink::write_transaction(const stream::Batch& batch) {
  auto transaction = [&]() -> Status {
    if (Status status = connection_->execute("BEGIN"); !status.is_ok()) return status;
    if (!batch.rows.empty()) {
      if (Status written = write_rows(batch); !written.is_ok()) return written;
    }
    for (const stream::SourceOffset& offset : batch.end_offsets) {
      auto stored = connection_->execute_prepared(
          kOffsetStatement, {job_, offset.topic, std::to_string(offset.partition),
                             std::to_string(offset.next_offset)});
      if (!stored) return stored.status();
    }
    return connection_->execute("COMMIT");
  };
  Status status = transaction();
  if (!status.is_ok() && status.code() != StatusCode::kUnavailable) {
    // The transaction is aborted; end it so the session can serve the next
    // batch, or drop the session if even that fails.
    if (!connection_->execute("ROLLBACK").is_ok()) connection_.reset();
  }
  return status;
}

// New rows, the usual case, are copied straight into the target, as fast as
// a plain COPY. When any key is already there (a replay after a crash) or
// repeats within the batch, that copy fails on the unique key: it is undone
// to its savepoint and the batch goes through the staging table and the
// upsert instead, where the last row of a key wins.
Status PostgresSink::write_rows(const stream::Batch& batch) {
  if (Status status = connection_->execute("SAVEPOINT runnel_direct"); !status.is_ok())
    return status;
  size_t next = 0;
  Status direct = connection_->copy_in(copy_target_sql_, [&](std::string& chunk) {
    return fill_copy_chunk(batch, false, next, chunk);
  });
  if (direct.is_ok() || !is_unique_violation(direct)) return direct;
  if (Status status = connection_->execute("ROLLBACK TO SAVEPOINT runnel_direct");
      !status.is_ok()) {
    return status;
  }
  next = 0;
  Status staged = connection_->copy_in(
      copy_sql_, [&](std::string& chunk) { return fill_copy_chunk(batch, true, next, chunk); });
  if (!staged.is_ok()) return staged;
  auto upserted = connection_->execute_prepared(kUpsertStatement, {});
  return upserted.is_ok() ? Status::ok() : upserted.status();
}

Result<bool> PostgresSink::already_committed(const stream::Batch& batch) {
  if (batch.end_offsets.empty()) return false;
  auto stored = stored_offsets();
  if (!stored) return stored.status();
  for (const stream::SourceOffset& offset : batch.end_offsets) {
    if (std::find(stored->begin(), stored->end(), offset) == stored->end()) return false;
  }
  return true;
}

Result<std::vector<stream::SourceOffset>> PostgresSink::stored_offsets() {
  auto rows = connection_->query(select_offsets_sql(config_.target), {job_});
  if (!rows) return rows.status();
  std::vector<stream::SourceOffset> offsets;
  for (const PgRow& row : *rows) {
    auto partition = parse_number<int32_t>(row[1]);
    auto next_offset = parse_number<int64_t>(row[2]);
    if (!row[0] || !partition || !next_offset) {
      return data_loss("postgres: unreadable row in " + qualified_offsets(config_.target));
    }
    offsets.push_back({*row[0], *partition, *next_offset});
  }
  return offsets;
}

bool PostgresSink::wait_to_retry(const Status& failure,
                                 std::chrono::steady_clock::time_point give_up_at,
                                 std::chrono::milliseconds& backoff) {
  connection_.reset();
  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
      give_up_at - std::chrono::steady_clock::now());
  if (remaining.count() <= 0) return false;
  std::chrono::milliseconds wait = std::min(backoff, remaining);
  spdlog::warn("postgres sink: {}; reconnecting in {} ms", failure.message(), wait.count());
  if (stop_.wait_for(wait)) return false;
  backoff = std::min(backoff * 2, config_.max_backoff);
  return true;
}

}  // namespace runnel::sinks
