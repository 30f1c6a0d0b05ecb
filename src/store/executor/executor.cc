#include "store/executor/executor.h"

#include <openssl/evp.h>

#include <algorithm>
#include <deque>
#include <set>

#include "cql/value.h"
#include "store/cql/parser.h"
#include "store/executor/bind_markers.h"
#include "store/executor/modification.h"
#include "store/executor/request_error.h"
#include "store/executor/schema_statements.h"
#include "store/executor/select.h"
#include "store/executor/terms.h"

namespace runnel::store::executor {
namespace {

using runnel::cql::ErrorCode;

CqlError error(ErrorCode code, std::string message) {
  return CqlError{code, std::move(message), {}, {}, {}};
}

std::string md5(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<char*>(digest), length);
}

// Values sent with names, put in marker order.
std::vector<BoundValue> order_values(const cql3::ParsedStatement& parsed,
                                     const QueryParameters& parameters) {
  if (parameters.value_names.empty()) return parameters.values;
  std::vector<BoundValue> ordered;
  for (const auto& name : parsed.marker_names) {
    bool found = false;
    for (std::size_t i = 0; i < parameters.value_names.size() && i < parameters.values.size();
         ++i) {
      if (parameters.value_names[i] == name) {
        ordered.push_back(parameters.values[i]);
        found = true;
        break;
      }
    }
    if (!found) throw_invalid("No value has been provided for bind variable " + name);
  }
  return ordered;
}

const std::string kBatchStatementsOnly =
    "Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.";

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (unsigned char c : bytes) {
    text.push_back(kDigits[c >> 4]);
    text.push_back(kDigits[c & 0x0f]);
  }
  return text;
}

CqlError unprepared(std::string_view id) {
  CqlError answer =
      error(ErrorCode::kUnprepared,
            "Prepared query with ID " + hex(id) +
                " not found (either the query was not prepared on this host (maybe the "
                "host has been restarted?) or you have prepared too many queries and it "
                "has been evicted from the internal cache)");
  answer.unprepared_id = std::string(id);
  return answer;
}

// INSERT, UPDATE and DELETE as a batch holds them; nothing for others.
std::optional<cql3::Modification> as_modification(const cql3::Statement& statement) {
  if (const auto* insert = std::get_if<cql3::Insert>(&statement))
    return cql3::Modification(*insert);
  if (const auto* update = std::get_if<cql3::Update>(&statement))
    return cql3::Modification(*update);
  if (const auto* deletion = std::get_if<cql3::Delete>(&statement))
    return cql3::Modification(*deletion);
  return std::nullopt;
}

// Runs `body`, answering a RequestError or an unexpected exception.
template <typename Body>
auto guarded(Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const RequestError& request_error) {
    return request_error.error;
  } catch (const std::exception& exception) {
    return error(ErrorCode::kServerError, exception.what());
  }
}

}  // namespace

Outcome Executor::query(std::string_view text, std::string& keyspace,
                        const QueryParameters& parameters) {
  auto parsed = cql3::parse_statement(text);
  if (!parsed) return error(ErrorCode::kSyntaxError, parsed.status().message());
  return run(*parsed, keyspace, parameters);
}

Outcome Executor::run(const cql3::ParsedStatement& parsed, std::string& keyspace,
                      const QueryParameters& parameters) {
  return guarded([&]() -> Outcome {
    std::vector<BoundValue> values = order_values(parsed, parameters);
    if (values.size() != parsed.marker_names.size()) {
      throw_bind_count(parsed.marker_names.size(), values.size());
    }
    QueryParameters bound = parameters;
    bound.values = std::move(values);
    bound.value_names.clear();
    Context context{parts_, parts_.schema.catalog(), keyspace, bound};
    const auto& statement = parsed.statement;
    if (const auto* select = std::get_if<cql3::Select>(&statement))
      return execute_select(context, *select);
    if (const auto* use = std::get_if<cql3::Use>(&statement)) {
      if (context.catalog->keyspace(use->keyspace) == nullptr) {
        throw_invalid("Keyspace '" + use->keyspace + "' does not exist");
      }
      keyspace = use->keyspace;
      return SetKeyspace{use->keyspace};
    }
    if (const auto* create = std::get_if<cql3::CreateKeyspace>(&statement))
      return create_keyspace(context, *create);
    if (const auto* drop = std::get_if<cql3::DropKeyspace>(&statement)) {
      // The session keeps its keyspace: later statements fail as in Cassandra.
      return drop_keyspace(context, *drop);
    }
    if (const auto* create = std::get_if<cql3::CreateTable>(&statement))
      return create_table(context, *create);
    if (const auto* drop = std::get_if<cql3::DropTable>(&statement))
      return drop_table(context, *drop);
    if (const auto* truncate = std::get_if<cql3::TruncateTable>(&statement))
      return truncate_table(context, *truncate);
    std::vector<Write> writes;
    std::vector<cql3::Modification> single;
    std::optional<std::int64_t> batch_timestamp;
    if (const auto* batch = std::get_if<cql3::Batch>(&statement)) {
      // A batch's statements share one timestamp unless one says otherwise.
      batch_timestamp =
          bound.default_timestamp ? *bound.default_timestamp : next_timestamp_micros();
      if (batch->using_.timestamp) {
        TermValue value = evaluate(*batch->using_.timestamp,
                                   runnel::cql::DataType::of(runnel::cql::TypeKind::kBigint),
                                   "[timestamp]", bound.values);
        if (!value.is_set()) throw_invalid("Invalid null value of timestamp");
        batch_timestamp = runnel::cql::decode_bigint(value.bytes);
      }
      for (const auto& item : batch->statements) {
        const cql3::Using& using_ =
            std::visit([](const auto& m) -> const cql3::Using& { return m.using_; }, item);
        if (batch->using_.timestamp && using_.timestamp) {
          throw_invalid("Timestamp must be set either on BATCH or individual statements");
        }
        writes.push_back(Write{&item, &bound.values, &keyspace});
      }
    } else if (const auto* insert = std::get_if<cql3::Insert>(&statement)) {
      single.emplace_back(*insert);
    } else if (const auto* update = std::get_if<cql3::Update>(&statement)) {
      single.emplace_back(*update);
    } else if (const auto* deletion = std::get_if<cql3::Delete>(&statement)) {
      single.emplace_back(*deletion);
    }
    for (const auto& item : single) writes.push_back(Write{&item, &bound.values, &keyspace});
    return write(context, writes, batch_timestamp);
  });
}

Outcome Executor::write(const Context& context, const std::vector<Write>& writes,
                        std::optional<std::int64_t> batch_timestamp) {
  auto context_of = [&](const Write& write) {
    return Context{context.store, context.catalog, *write.keyspace, context.parameters};
  };
  bool conditional = std::any_of(writes.begin(), writes.end(), [](const Write& write) {
    return is_conditional(*write.statement);
  });
  std::unique_lock<std::mutex> lock(conditional_mutex_, std::defer_lock);
  if (conditional) lock.lock();
  if (conditional && writes.size() > 1) {
    std::set<std::string> partitions;
    for (const auto& write : writes) {
      for (auto& partition :
           partitions_written(context_of(write), *write.statement, *write.values)) {
        partitions.insert(std::move(partition));
      }
    }
    if (partitions.size() > 1)
      throw_invalid("Batch with conditions cannot span multiple partitions");
  }
  rocksdb::WriteBatch batch;
  std::optional<Rows> applied;
  for (const auto& write : writes) {
    auto result = add_modification(context_of(write), *write.statement, *write.values,
                                   batch_timestamp, batch);
    if (result) {
      bool ok = !result->rows.empty() && result->rows[0][0] && (*result->rows[0][0])[0] != 0;
      if (!ok) return std::move(*result);
      applied = std::move(result);
    }
  }
  if (batch.Count() > 0) {
    if (auto status = context.store.database.write(batch); !status.is_ok()) {
      return error(ErrorCode::kWriteFailure, status.message());
    }
  }
  if (applied) return std::move(*applied);
  return Void{};
}

std::variant<Prepared, CqlError> Executor::prepare(std::string_view text,
                                                   const std::string& keyspace) {
  auto parsed = cql3::parse_statement(text);
  if (!parsed) return error(ErrorCode::kSyntaxError, parsed.status().message());
  std::string id = md5(keyspace + std::string(text));
  QueryParameters none;
  Context context{parts_, parts_.schema.catalog(), keyspace, none};
  Prepared metadata;
  metadata.id = id;
  bool single_partition_read = false;
  try {
    describe_markers(context, *parsed, metadata);
    if (const auto* select = std::get_if<cql3::Select>(&parsed->statement)) {
      single_partition_read =
          reads_single_partition(*resolve_table(context, select->table), *select);
    }
  } catch (const RequestError& request_error) {
    return request_error.error;
  } catch (const std::exception& exception) {
    return error(ErrorCode::kServerError, exception.what());
  }
  auto entry = std::make_shared<PreparedStatement>();
  entry->parsed = std::make_shared<const cql3::ParsedStatement>(std::move(*parsed));
  entry->keyspace = keyspace;
  entry->modification = as_modification(entry->parsed->statement);
  entry->metadata = metadata;
  entry->single_partition_read = single_partition_read;
  std::unique_lock lock(prepared_mutex_);
  // Bounded like Cassandra's prepared statements cache: past the limit an
  // entry goes, and a client executing it gets Unprepared and prepares again.
  if (prepared_.size() >= kMaxPreparedStatements && prepared_.count(id) == 0) {
    prepared_.erase(prepared_.begin());
  }
  prepared_[id] = std::move(entry);
  return metadata;
}

std::shared_ptr<const Executor::PreparedStatement> Executor::find_prepared(
    std::string_view id) const {
  std::shared_lock lock(prepared_mutex_);
  auto found = prepared_.find(id);
  return found == prepared_.end() ? nullptr : found->second;
}

bool Executor::is_single_partition_read(std::string_view id) const {
  auto entry = find_prepared(id);
  return entry != nullptr && entry->single_partition_read;
}

Outcome Executor::execute(std::string_view id, std::string& keyspace,
                          const QueryParameters& parameters) {
  auto entry = find_prepared(id);
  if (entry == nullptr) {
    return unprepared(id);
  }
  // Unqualified names resolve against the keyspace of the PREPARE; USE in
  // a prepared statement still changes the session's.
  std::string statement_keyspace = entry->keyspace.empty() ? keyspace : entry->keyspace;
  Outcome outcome = run(*entry->parsed, statement_keyspace, parameters);
  if (std::holds_alternative<SetKeyspace>(outcome))
    keyspace = std::get<SetKeyspace>(outcome).keyspace;
  return outcome;
}

Outcome Executor::batch(runnel::cql::BatchType, const std::vector<BatchStatement>& statements,
                        const std::string& keyspace,
                        std::optional<std::int64_t> default_timestamp) {
  return guarded([&]() -> Outcome {
    // What the writes point into lives here until the batch is written:
    // prepared entries (their modification is reused, not copied) and the
    // statements sent as text.
    std::vector<std::shared_ptr<const PreparedStatement>> entries;
    std::deque<cql3::Modification> text_statements;
    std::vector<Write> writes;
    for (const auto& item : statements) {
      const cql3::Modification* modification = nullptr;
      const std::string* statement_keyspace = &keyspace;
      std::size_t markers = 0;
      if (item.prepared) {
        auto entry = find_prepared(item.query_or_id);
        if (entry == nullptr) return unprepared(item.query_or_id);
        if (!entry->modification) throw_invalid(kBatchStatementsOnly);
        modification = &*entry->modification;
        markers = entry->parsed->marker_names.size();
        if (!entry->keyspace.empty()) statement_keyspace = &entry->keyspace;
        entries.push_back(std::move(entry));
      } else {
        auto text = cql3::parse_statement(item.query_or_id);
        if (!text) return error(ErrorCode::kSyntaxError, text.status().message());
        auto converted = as_modification(text->statement);
        if (!converted) throw_invalid(kBatchStatementsOnly);
        text_statements.push_back(std::move(*converted));
        modification = &text_statements.back();
        markers = text->marker_names.size();
      }
      if (item.values.size() != markers) throw_bind_count(markers, item.values.size());
      writes.push_back(Write{modification, &item.values, statement_keyspace});
    }
    QueryParameters parameters;
    parameters.default_timestamp = default_timestamp;
    Context context{parts_, parts_.schema.catalog(), keyspace, parameters};
    std::int64_t timestamp = default_timestamp ? *default_timestamp : next_timestamp_micros();
    return write(context, writes, timestamp);
  });
}

}  // namespace runnel::store::executor
