// Runs parsed statements against the store: the entry point of the
// executor, where a RequestError (or any unexpected exception) becomes the
// CqlError answer. Keeps the prepared statements (in memory only: after a
// restart EXECUTE answers Unprepared and drivers prepare again).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/cql/statement.h"
#include "store/executor/context.h"

namespace runnel::store::executor {

class Executor {
 public:
  explicit Executor(StoreParts parts) : parts_(std::move(parts)) {}

  // `keyspace` is the session's; USE changes it.
  Outcome query(std::string_view text, std::string& keyspace, const QueryParameters& parameters);
  std::variant<Prepared, CqlError> prepare(std::string_view text, const std::string& keyspace);
  Outcome execute(std::string_view id, std::string& keyspace, const QueryParameters& parameters);
  Outcome batch(runnel::cql::BatchType type, const std::vector<BatchStatement>& statements,
                const std::string& keyspace, std::optional<std::int64_t> default_timestamp);
  // Whether the prepared statement is a SELECT of one partition (see
  // reads_single_partition); false for an unknown id.
  bool is_single_partition_read(std::string_view id) const;

 private:
  struct PreparedStatement {
    std::shared_ptr<const cql3::ParsedStatement> parsed;
    std::string keyspace;  // the session's at PREPARE
    Prepared metadata;
    // INSERT, UPDATE and DELETE once more as a batch holds them.
    std::optional<cql3::Modification> modification;
    bool single_partition_read = false;
  };
  static constexpr std::size_t kMaxPreparedStatements = 100000;

  Outcome run(const cql3::ParsedStatement& parsed, std::string& keyspace,
              const QueryParameters& parameters);
  // One write of a statement or batch: its statement, its values and the
  // keyspace its unqualified names mean (a prepared one's is the PREPARE's).
  struct Write {
    const cql3::Modification* statement;
    const std::vector<BoundValue>* values;
    const std::string* keyspace;
  };
  // Applies the writes as one RocksDB batch (conditions checked first).
  Outcome write(const Context& context, const std::vector<Write>& writes,
                std::optional<std::int64_t> batch_timestamp);
  std::shared_ptr<const PreparedStatement> find_prepared(std::string_view id) const;

  StoreParts parts_;
  // Looked up by a string_view without making a string of it: an id is 16
  // bytes, past std::string's inline buffer, and every EXECUTE looks its id
  // up (twice for a single-partition read).
  struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
  };
  mutable std::shared_mutex prepared_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const PreparedStatement>, IdHash, std::equal_to<>>
      prepared_;
  // Serializes conditional writes (IF ...), so a check and its write are
  // one step among them.
  std::mutex conditional_mutex_;
};

}  // namespace runnel::store::executor
