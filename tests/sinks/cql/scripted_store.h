// A Store whose sessions answer statements that a CQL client test scripts,
// served by the real CQL server (store/server) so that the client meets
// the protocol as the store speaks it, and meets the failures the real
// store cannot be made to produce on demand:
//   ECHO <text>          one row of one text column "echo": <text>
//   USE <keyspace>       Set_keyspace
//   SLEEP <ms> <text>    sleeps, then the row <text>
//   FAIL <code> <n>      error <code> (hex) the first <n> times this exact
//                        text runs, then Void
//   anything else        Void
// PREPARE gives an id derived from the text; EXECUTE of an id prepared
// before forget_prepared() (a restarted node) is Unprepared, of a
// "SELECT topic ..." (the Cassandra sink's offsets) no rows, of anything
// else the row of its first value. BATCH records what arrived, or fails
// as failing_batches says.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "store/session.h"

namespace runnel::sinks {

class ScriptedStore : public store::Store {
 public:
  std::unique_ptr<store::Session> open_session() override;
  bool is_single_partition_read(std::string_view) const override { return false; }
  Status close() override { return Status::ok(); }

  void forget_prepared() {
    std::lock_guard lock(mutex);
    prepared.clear();
  }

  std::mutex mutex;
  std::map<std::string, int> runs;           // GUARDED_BY(mutex): times each text ran
  std::set<std::string> prepared;            // GUARDED_BY(mutex): ids
  std::map<std::string, std::string> texts;  // GUARDED_BY(mutex): id -> statement
  // The marker types PREPARE reports for a statement; none for others.
  std::map<std::string, std::vector<cql::DataType>> bound_types;  // GUARDED_BY(mutex)
  // Set: every BATCH fails with this error.
  std::optional<cql::ErrorCode> failing_batches;  // GUARDED_BY(mutex)
  int prepares = 0;                               // GUARDED_BY(mutex)
  struct ReceivedBatch {
    cql::BatchType type;
    std::vector<store::BatchStatement> statements;
    cql::Consistency consistency;
    std::optional<std::int64_t> timestamp;
  };
  std::vector<ReceivedBatch> batches;  // GUARDED_BY(mutex)
};

class ScriptedSession : public store::Session {
 public:
  explicit ScriptedSession(ScriptedStore& store) : store_(store) {}

  store::Outcome query(std::string_view cql, const store::QueryParameters&) override {
    std::string text(cql);
    int run = 0;
    {
      std::lock_guard lock(store_.mutex);
      run = ++store_.runs[text];
    }
    std::istringstream words(text);
    std::string verb;
    words >> verb;
    if (verb == "ECHO") return row(text.substr(5));
    if (verb == "USE") {
      words >> keyspace_;
      return store::SetKeyspace{keyspace_};
    }
    if (verb == "SLEEP") {
      int millis = 0;
      std::string echo;
      words >> millis >> echo;
      std::this_thread::sleep_for(std::chrono::milliseconds(millis));
      return row(echo);
    }
    if (verb == "FAIL") {
      std::string code;
      int times = 0;
      words >> code >> times;
      if (run <= times) {
        return store::CqlError{static_cast<cql::ErrorCode>(std::stoi(code, nullptr, 16)),
                               "scripted failure " + std::to_string(run),
                               {},
                               {},
                               {}};
      }
    }
    return store::Void{};
  }

  std::variant<store::Prepared, store::CqlError> prepare(std::string_view cql) override {
    store::Prepared prepared;
    char id[17];
    std::snprintf(id, sizeof id, "%016zx", std::hash<std::string_view>()(cql));
    prepared.id = id;
    std::lock_guard lock(store_.mutex);
    auto types = store_.bound_types.find(std::string(cql));
    if (types != store_.bound_types.end()) {
      for (const cql::DataType& type : types->second) {
        prepared.bound_columns.push_back({"ks", "t", "c", type});
      }
    }
    if (cql.starts_with("SELECT echo")) {
      prepared.result_columns.push_back(
          {"ks", "t", "echo", cql::DataType::of(cql::TypeKind::kVarchar)});
    }
    store_.prepared.insert(prepared.id);
    store_.texts[prepared.id] = std::string(cql);
    ++store_.prepares;
    return prepared;
  }

  store::Outcome execute(std::string_view id, const store::QueryParameters& parameters) override {
    {
      std::lock_guard lock(store_.mutex);
      if (!store_.prepared.contains(std::string(id))) {
        return store::CqlError{cql::ErrorCode::kUnprepared, "unknown id", {}, {}, std::string(id)};
      }
    }
    if (parameters.values.empty()) return store::Void{};
    std::lock_guard lock(store_.mutex);
    if (store_.texts[std::string(id)].starts_with("SELECT topic")) return no_offsets();
    return row(parameters.values[0].bytes);
  }

  store::Outcome batch(cql::BatchType type, const std::vector<store::BatchStatement>& statements,
                       cql::Consistency consistency,
                       std::optional<std::int64_t> timestamp) override {
    std::lock_guard lock(store_.mutex);
    if (store_.failing_batches) {
      return store::CqlError{*store_.failing_batches, "scripted batch failure", {}, {}, {}};
    }
    for (const auto& statement : statements) {
      if (statement.prepared && !store_.prepared.contains(statement.query_or_id)) {
        return store::CqlError{
            cql::ErrorCode::kUnprepared, "unknown id", {}, {}, statement.query_or_id};
      }
    }
    store_.batches.push_back({type, statements, consistency, timestamp});
    return store::Void{};
  }

  const std::string& keyspace() const override { return keyspace_; }

 private:
  static store::Rows row(std::string text) {
    store::Rows rows;
    rows.columns.push_back({"ks", "t", "echo", cql::DataType::of(cql::TypeKind::kVarchar)});
    rows.rows.push_back({std::move(text)});
    return rows;
  }

  // The Cassandra sink's offsets query, answered: none stored.
  static store::Rows no_offsets() {
    store::Rows rows;
    for (auto [name, kind] :
         {std::pair{"topic", cql::TypeKind::kVarchar}, std::pair{"partition", cql::TypeKind::kInt},
          std::pair{"next_offset", cql::TypeKind::kBigint}}) {
      rows.columns.push_back({"ks", "runnel_offsets", name, cql::DataType::of(kind)});
    }
    return rows;
  }

  ScriptedStore& store_;
  std::string keyspace_;
};

inline std::unique_ptr<store::Session> ScriptedStore::open_session() {
  return std::make_unique<ScriptedSession>(*this);
}

}  // namespace runnel::sinks
