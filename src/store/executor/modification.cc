#include "store/executor/modification.h"

#include <algorithm>
#include <map>

#include "cql/murmur3.h"
#include "cql/value.h"
#include "store/executor/collection_cells.h"
#include "store/executor/request_error.h"
#include "store/executor/restrictions.h"
#include "store/executor/terms.h"
#include "store/storage/keys.h"
#include "store/storage/row_record.h"
#include "store/storage/table_scan.h"

namespace runnel::store::executor {
namespace {

using cql3::Assignment;
using runnel::cql::DataType;
using runnel::cql::TypeKind;
using schema::ColumnKind;
using storage::Cell;
using storage::Liveness;
using storage::RowRecord;

constexpr std::int32_t kMaxTtl = 20 * 365 * 24 * 60 * 60;

struct WriteTime {
  std::int64_t timestamp = 0;
  std::int32_t ttl = 0;
  Liveness liveness(std::int64_t now) const {
    return Liveness{timestamp, ttl, ttl > 0 ? now + std::int64_t{ttl} * 1000 : 0};
  }
};

WriteTime write_time(const Context& context, const schema::TableDef& table,
                     const cql3::Using& using_, const std::vector<BoundValue>& values,
                     std::optional<std::int64_t> batch_timestamp) {
  WriteTime time;
  if (using_.timestamp) {
    TermValue value =
        evaluate(*using_.timestamp, DataType::of(TypeKind::kBigint), "[timestamp]", values);
    if (!value.is_set()) throw_invalid("Invalid null value of timestamp");
    time.timestamp = runnel::cql::decode_bigint(value.bytes);
  } else if (batch_timestamp) {
    time.timestamp = *batch_timestamp;
  } else if (context.parameters.default_timestamp) {
    time.timestamp = *context.parameters.default_timestamp;
  } else {
    time.timestamp = next_timestamp_micros();
  }
  auto default_ttl = table.options.find("default_time_to_live");
  if (default_ttl != table.options.end()) time.ttl = std::atoi(default_ttl->second.c_str());
  if (using_.ttl) {
    TermValue value = evaluate(*using_.ttl, DataType::of(TypeKind::kInt), "[ttl]", values);
    if (value.state == BoundValue::State::kNull) time.ttl = 0;
    if (value.is_set()) time.ttl = runnel::cql::decode_int(value.bytes);
    if (time.ttl < 0)
      throw_invalid("A TTL must be greater or equal to 0, but was " + std::to_string(time.ttl));
    if (time.ttl > kMaxTtl) {
      throw_invalid("ttl is too large. requested (" + std::to_string(time.ttl) + ") maximum (" +
                    std::to_string(kMaxTtl) + ")");
    }
  }
  return time;
}

std::vector<storage::ClusteringColumn> clustering_columns(const schema::TableDef& table) {
  std::vector<storage::ClusteringColumn> columns;
  for (std::size_t i = 0; i < table.clustering_count; ++i) {
    const auto& column = table.columns[table.partition_key_count + i];
    columns.push_back({column.type, column.descending});
  }
  return columns;
}

std::string partition_prefix(const schema::TableDef& table, const std::string& partition_key) {
  if (partition_key.empty()) throw_invalid("Key may not be empty");
  if (partition_key.size() > 65535)
    throw_invalid("Key length of " + std::to_string(partition_key.size()) +
                  " is longer than maximum of 65535");
  return storage::partition_prefix(table.storage_id, runnel::cql::murmur3_token(partition_key),
                                   partition_key);
}

std::string row_key(const schema::TableDef& table, const std::string& partition_key,
                    const std::vector<std::string>& clustering) {
  std::string key = partition_prefix(table, partition_key);
  key.push_back(storage::kRow);
  auto columns = clustering_columns(table);
  for (std::size_t i = 0; i < clustering.size(); ++i)
    storage::append_clustering_value(key, columns[i], clustering[i]);
  return key;
}

// The row as a read sees it now, or nullopt.
std::optional<storage::StoredRow> read_row(const Context& context, const schema::TableDef& table,
                                           const std::string& key) {
  auto row =
      storage::read_row(context.store.database, clustering_columns(table), key, now_millis());
  if (!row) throw_error(runnel::cql::ErrorCode::kServerError, row.status().message());
  return std::move(*row);
}

void sort_cells(RowRecord& record) {
  auto before = [](const Cell& a, const Cell& b) { return a.column < b.column; };
  // An INSERT's cells come in the table's column order, which is by name
  // for regular columns: usually there is nothing to do.
  if (std::adjacent_find(record.cells.begin(), record.cells.end(),
                         [&](const Cell& a, const Cell& b) { return !before(a, b); }) ==
      record.cells.end()) {
    return;
  }
  std::sort(record.cells.begin(), record.cells.end(), before);
  // One cell per column: the last assignment of a column wins.
  auto last = std::unique(record.cells.rbegin(), record.cells.rend(),
                          [](const Cell& a, const Cell& b) { return a.column == b.column; });
  record.cells.erase(record.cells.begin(), last.base());
}

Cell make_cell(const std::string& column, TermValue value, const Liveness& liveness,
               std::int64_t now) {
  Cell cell;
  cell.column = column;
  cell.liveness = liveness;
  cell.tombstone = !value.is_set();
  if (cell.tombstone) cell.liveness = Liveness{liveness.timestamp, 0, 0};
  cell.value = std::move(value.bytes);
  (void)now;
  return cell;
}

std::vector<std::string> collection_elements(const DataType& type,
                                             const std::optional<std::string>& bytes) {
  std::vector<std::string> out;
  if (!bytes) return out;
  auto elements = runnel::cql::decode_collection(*bytes, type.kind == TypeKind::kMap);
  if (!elements) return out;
  for (auto element : *elements) out.emplace_back(element);
  return out;
}

// The cells of a whole collection written by INSERT or `SET c = ...`: a
// tombstone on the column just before the write (so older elements go),
// then one cell per element.
void overwrite_collection(RowRecord& record, const schema::ColumnDef& column,
                          const TermValue& value, const Liveness& liveness) {
  record.cells.push_back(Cell{column.name, Liveness{liveness.timestamp - 1, 0, 0}, true, {}});
  if (!value.is_set()) return;
  for (auto& [key, element] : elements_of(column.type, value.bytes)) {
    record.cells.push_back(
        Cell{element_cell_name(column.name, key), liveness, false, std::move(element)});
  }
}

Cell element_tombstone(const schema::ColumnDef& column, std::string_view key,
                       const Liveness& liveness) {
  return Cell{element_cell_name(column.name, key), Liveness{liveness.timestamp, 0, 0}, true, {}};
}

// The key of a list's element at the index `term` names; throws Invalid
// when the list has no such element.
std::string list_element_key(const schema::ColumnDef& column, const cql3::Term& term,
                             const std::optional<storage::StoredRow>& current,
                             const std::vector<BoundValue>& values) {
  TermValue index =
      evaluate(term, DataType::of(TypeKind::kInt), "idx(" + column.name + ")", values);
  if (!index.is_set()) throw_invalid("Invalid null value for list index");
  std::int32_t at = runnel::cql::decode_int(index.bytes);
  auto elements = current ? element_cells(*current, column.name)
                          : std::vector<std::pair<std::string, std::string>>();
  if (at < 0 || static_cast<std::size_t>(at) >= elements.size()) {
    throw_invalid("List index " + std::to_string(at) + " out of bound, list has size " +
                  std::to_string(elements.size()));
  }
  return elements[static_cast<std::size_t>(at)].first;
}

// The element cells an UPDATE's collection operation writes (`c = c + t`,
// `c = t + c`, `c = c - t`, `c[k] = v`). `current` reads the row, for the
// list operations that need its positions.
template <typename CurrentRow>
void update_collection(RowRecord& record, const schema::ColumnDef& column,
                       const Assignment& assignment, CurrentRow&& current, const Liveness& liveness,
                       const std::vector<BoundValue>& values) {
  const DataType& type = column.type;
  bool is_map = type.kind == TypeKind::kMap;
  if (assignment.kind == Assignment::Kind::kSetElement) {
    if (type.kind == TypeKind::kList) {
      std::string key = list_element_key(column, *assignment.element, current(), values);
      TermValue element =
          evaluate(assignment.value, type.parameters[0], "value(" + column.name + ")", values);
      if (element.is_set()) {
        record.cells.push_back(
            Cell{element_cell_name(column.name, key), liveness, false, element.bytes});
      } else {
        record.cells.push_back(element_tombstone(column, key, liveness));
      }
    } else if (is_map) {
      TermValue key =
          evaluate(*assignment.element, type.parameters[0], "key(" + column.name + ")", values);
      if (!key.is_set()) throw_invalid("Invalid null map key");
      TermValue element =
          evaluate(assignment.value, type.parameters[1], "value(" + column.name + ")", values);
      if (element.is_set()) {
        record.cells.push_back(
            Cell{element_cell_name(column.name, key.bytes), liveness, false, element.bytes});
      } else {
        record.cells.push_back(element_tombstone(column, key.bytes, liveness));
      }
    } else {
      throw_invalid("Invalid operation (" + column.name + "[...] = ...) for non list/map column " +
                    column.name);
    }
    return;
  }
  // `m = m - {keys}` takes a set of the map's keys.
  bool removes_keys = is_map && assignment.kind == Assignment::Kind::kRemove;
  DataType operand_type = removes_keys ? DataType::set_of(type.parameters[0]) : type;
  TermValue operand = evaluate(assignment.value, operand_type, column.name, values);
  if (!operand.is_set()) return;  // unset, or adding/removing null: nothing
  auto items = runnel::cql::decode_collection(operand.bytes, operand_type.kind == TypeKind::kMap);
  if (!items) return;
  switch (assignment.kind) {
    case Assignment::Kind::kAdd:
      for (auto& [key, element] : elements_of(type, operand.bytes)) {
        record.cells.push_back(
            Cell{element_cell_name(column.name, key), liveness, false, std::move(element)});
      }
      break;
    case Assignment::Kind::kPrepend: {
      if (type.kind != TypeKind::kList) {
        throw_invalid("Invalid operation (" + column.name + " = ... + " + column.name +
                      ") for non list column " + column.name);
      }
      // Later prepends sort first: give the last item its key first.
      for (auto it = items->rbegin(); it != items->rend(); ++it) {
        record.cells.push_back(Cell{element_cell_name(column.name, list_prepend_key()), liveness,
                                    false, std::string(*it)});
      }
      break;
    }
    case Assignment::Kind::kRemove:
      if (type.kind == TypeKind::kList) {
        auto row = current();
        if (!row) break;
        for (const auto& [key, element] : element_cells(*row, column.name)) {
          bool removed = std::any_of(items->begin(), items->end(), [&](std::string_view item) {
            return runnel::cql::compare(type.parameters[0], element, item) == 0;
          });
          if (removed) record.cells.push_back(element_tombstone(column, key, liveness));
        }
      } else {
        for (auto item : *items) record.cells.push_back(element_tombstone(column, item, liveness));
      }
      break;
    default:
      break;
  }
}

// The partition keys and full clustering keys a write names.
struct WriteTarget {
  std::vector<std::string> partition_keys;
  std::vector<std::vector<std::string>> clusterings;  // full keys; {{}} without clustering
};

WriteTarget rows_named(const schema::TableDef& table, const Restrictions& restrictions,
                       bool allow_partial) {
  if (!restrictions.partition_keys) {
    std::string missing;
    for (std::size_t i = 0; i < table.partition_key_count; ++i) {
      bool restricted = std::any_of(restrictions.relations.begin(), restrictions.relations.end(),
                                    [&](const BoundRelation& r) { return r.column == i; });
      if (!restricted) missing += (missing.empty() ? "" : ", ") + table.columns[i].name;
    }
    if (missing.empty())
      throw_invalid(
          "Only EQ and IN relation are supported on the partition key (unless you use the token() "
          "function)");
    throw_invalid("Some partition key parts are missing: " + missing);
  }
  for (const auto& relation : restrictions.relations) {
    if (table.columns[relation.column].kind == ColumnKind::kRegular) {
      throw_invalid("Non PRIMARY KEY columns found in where clause: " +
                    table.columns[relation.column].name);
    }
  }
  WriteTarget target;
  target.partition_keys = *restrictions.partition_keys;
  if (!allow_partial && restrictions.clustering_prefix.size() < table.clustering_count) {
    std::string missing;
    for (std::size_t i = restrictions.clustering_prefix.size(); i < table.clustering_count; ++i) {
      missing += (missing.empty() ? "" : ", ") + table.columns[table.partition_key_count + i].name;
    }
    throw_invalid("Some clustering keys are missing: " + missing);
  }
  target.clusterings = cartesian(restrictions.clustering_prefix);
  return target;
}

// Cassandra's rules for the WHERE and USING of UPDATE and DELETE (and
// conditional statements), checked before the rows are named.
void check_write_rules(const Restrictions& restrictions, const std::string& statement,
                       bool conditional, const cql3::Using& using_) {
  if (restrictions.on_token) {
    throw_invalid("The token function cannot be used in WHERE clauses for " + statement +
                  " statements");
  }
  if (statement == "UPDATE" && (restrictions.clustering_lower || restrictions.clustering_upper)) {
    throw_invalid(
        "Slice restrictions are not supported on the clustering columns in UPDATE statements");
  }
  if (!conditional) return;
  if (using_.timestamp) throw_invalid("Cannot provide custom timestamp for conditional updates");
  if (restrictions.partition_keys && restrictions.partition_keys->size() > 1) {
    throw_invalid("IN on the partition key is not supported with conditional updates");
  }
  for (const auto& values : restrictions.clustering_prefix) {
    if (values.size() > 1)
      throw_invalid("IN on the clustering key columns is not supported with conditional updates");
  }
}

Rows applied_result(const schema::TableDef& table, bool applied) {
  Rows rows;
  rows.columns.push_back(
      ColumnSpec{table.keyspace, table.name, "[applied]", DataType::of(TypeKind::kBoolean)});
  rows.rows.push_back({runnel::cql::encode_boolean(applied)});
  return rows;
}

// [applied] false plus the current values of `columns` (all when empty).
Rows not_applied(const schema::TableDef& table, const std::optional<storage::StoredRow>& row,
                 const std::string& partition_key, const std::vector<std::string>& clustering,
                 std::vector<std::size_t> columns) {
  Rows rows = applied_result(table, false);
  if (!row) return rows;
  if (columns.empty()) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) columns.push_back(i);
  }
  auto components = storage::split_partition_key(partition_key, table.partition_key_count);
  for (std::size_t column : columns) {
    const auto& definition = table.columns[column];
    rows.columns.push_back(
        ColumnSpec{table.keyspace, table.name, definition.name, definition.type});
    std::optional<std::string> value;
    if (definition.kind == ColumnKind::kPartitionKey && components) {
      value = (*components)[static_cast<std::size_t>(definition.position)];
    } else if (definition.kind == ColumnKind::kClustering) {
      value = clustering[static_cast<std::size_t>(definition.position)];
    } else {
      value = column_value(*row, definition);
    }
    rows.rows[0].push_back(std::move(value));
  }
  return rows;
}

// Checks IF conditions on the current row: nullopt when they hold, else
// the [applied] false result.
std::optional<Rows> check_conditions(const Context& context, const schema::TableDef& table,
                                     const std::vector<cql3::Condition>& conditions, bool if_exists,
                                     const std::string& partition_key,
                                     const std::vector<std::string>& clustering,
                                     const std::vector<BoundValue>& values) {
  auto row = read_row(context, table, row_key(table, partition_key, clustering));
  if (if_exists) {
    if (!row) return not_applied(table, row, partition_key, clustering, {});
    return std::nullopt;
  }
  std::vector<std::size_t> columns;
  bool holds = true;
  for (const auto& condition : conditions) {
    std::size_t column = resolve_column(table, condition.column);
    columns.push_back(column);
    const auto& definition = table.columns[column];
    if (definition.kind != ColumnKind::kRegular) {
      throw_invalid("PRIMARY KEY column '" + definition.name + "' cannot have IF conditions");
    }
    std::optional<std::string> current = row ? column_value(*row, definition) : std::nullopt;
    DataType type = definition.type;
    if (condition.element) {
      bool is_map = type.kind == TypeKind::kMap;
      TermValue key =
          evaluate(*condition.element, is_map ? type.parameters[0] : DataType::of(TypeKind::kInt),
                   definition.name, values);
      auto elements = collection_elements(type, current);
      std::optional<std::string> element;
      if (is_map) {
        for (std::size_t i = 0; i + 1 < elements.size(); i += 2) {
          if (key.is_set() && runnel::cql::compare(type.parameters[0], elements[i], key.bytes) == 0)
            element = elements[i + 1];
        }
        type = type.parameters[1];
      } else if (type.kind == TypeKind::kList && key.is_set()) {
        auto at = runnel::cql::decode_int(key.bytes);
        if (at >= 0 && static_cast<std::size_t>(at) < elements.size())
          element = elements[static_cast<std::size_t>(at)];
        type = type.parameters[0];
      }
      current = element;
    }
    std::vector<std::optional<std::string>> expected;
    if (condition.op == cql3::Operator::kIn && condition.in_list) {
      for (const auto& term : condition.in_values) {
        TermValue value = evaluate(term, type, definition.name, values);
        expected.push_back(value.is_set() ? std::optional<std::string>(value.bytes) : std::nullopt);
      }
    } else {
      TermValue value = evaluate(condition.value, type, definition.name, values);
      expected.push_back(value.is_set() ? std::optional<std::string>(value.bytes) : std::nullopt);
    }
    auto compare = [&](const std::optional<std::string>& want) -> std::optional<int> {
      if (!current || !want) return std::nullopt;
      return runnel::cql::compare(type, *current, *want);
    };
    bool ok = false;
    switch (condition.op) {
      case cql3::Operator::kEq:
      case cql3::Operator::kIn:
        ok = std::any_of(expected.begin(), expected.end(), [&](const auto& want) {
          if (!want || !current) return !want && !current;
          return compare(want) == 0;
        });
        break;
      case cql3::Operator::kNeq:
        ok = !((!expected[0] && !current) || (expected[0] && current && compare(expected[0]) == 0));
        break;
      case cql3::Operator::kLt:
        ok = compare(expected[0]).value_or(0) < 0 && compare(expected[0]).has_value();
        break;
      case cql3::Operator::kLe:
        ok = compare(expected[0]).has_value() && *compare(expected[0]) <= 0;
        break;
      case cql3::Operator::kGt:
        ok = compare(expected[0]).has_value() && *compare(expected[0]) > 0;
        break;
      case cql3::Operator::kGe:
        ok = compare(expected[0]).has_value() && *compare(expected[0]) >= 0;
        break;
      default:
        throw_invalid("Unsupported operator in IF condition");
    }
    holds = holds && ok;
  }
  if (holds) return std::nullopt;
  return not_applied(table, row, partition_key, clustering, columns);
}

std::optional<Rows> insert(const Context& context, const cql3::Insert& insert,
                           const std::vector<BoundValue>& values,
                           std::optional<std::int64_t> batch_timestamp,
                           rocksdb::WriteBatch& batch) {
  auto table = resolve_writable_table(context, insert.table);
  if (insert.columns.size() != insert.values.size()) throw_invalid("Unmatched column names/values");
  std::vector<std::optional<TermValue>> by_column(table->columns.size());
  for (std::size_t i = 0; i < insert.columns.size(); ++i) {
    int found = table->find(insert.columns[i]);
    if (found < 0) throw_invalid("Unknown identifier " + insert.columns[i]);
    auto column = static_cast<std::size_t>(found);
    if (by_column[column]) throw_invalid("The column names contains duplicates");
    const auto& definition = table->columns[column];
    by_column[column] = evaluate(insert.values[i], definition.type, definition.name, values);
  }
  std::vector<std::string> partition_components;
  std::vector<std::string> clustering;
  std::string missing;
  for (std::size_t i = 0; i < table->partition_key_count + table->clustering_count; ++i) {
    const auto& definition = table->columns[i];
    if (!by_column[i]) {
      missing += (missing.empty() ? "" : ", ") + definition.name;
      continue;
    }
    if (by_column[i]->state == BoundValue::State::kUnset)
      throw_invalid("Invalid unset value for column " + definition.name);
    if (!by_column[i]->is_set())
      throw_invalid("Invalid null value in condition for column " + definition.name);
    (i < table->partition_key_count ? partition_components : clustering)
        .push_back(by_column[i]->bytes);
  }
  if (!missing.empty()) {
    bool partition_missing = partition_components.size() < table->partition_key_count;
    throw_invalid(std::string(partition_missing ? "Some partition key parts are missing: "
                                                : "Some clustering keys are missing: ") +
                  missing);
  }
  std::string partition_key = storage::serialize_partition_key(partition_components);
  std::string key = row_key(*table, partition_key, clustering);
  std::optional<Rows> result;
  if (insert.if_not_exists) {
    if (insert.using_.timestamp)
      throw_invalid("Cannot provide custom timestamp for conditional updates");
    auto row = read_row(context, *table, key);
    if (row) return not_applied(*table, row, partition_key, clustering, {});
    result = applied_result(*table, true);
  }
  WriteTime time = write_time(context, *table, insert.using_, values, batch_timestamp);
  std::int64_t now = now_millis();
  RowRecord record;
  record.marker = time.liveness(now);
  record.cells.reserve(table->columns.size());
  for (std::size_t i = table->partition_key_count + table->clustering_count;
       i < table->columns.size(); ++i) {
    if (!by_column[i] || by_column[i]->state == BoundValue::State::kUnset) continue;
    if (is_multi_cell(table->columns[i])) {
      overwrite_collection(record, table->columns[i], *by_column[i], time.liveness(now));
      continue;
    }
    record.cells.push_back(
        make_cell(table->columns[i].name, std::move(*by_column[i]), time.liveness(now), now));
  }
  sort_cells(record);
  batch.Merge(key, storage::encode_row(record));
  return result;
}

std::optional<Rows> update(const Context& context, const cql3::Update& update,
                           const std::vector<BoundValue>& values,
                           std::optional<std::int64_t> batch_timestamp,
                           rocksdb::WriteBatch& batch) {
  auto table = resolve_writable_table(context, update.table);
  Restrictions restrictions = bind_restrictions(*table, update.where, values);
  check_write_rules(restrictions, "UPDATE", update.if_exists || !update.conditions.empty(),
                    update.using_);
  WriteTarget target = rows_named(*table, restrictions, false);
  for (const auto& assignment : update.assignments) {
    const auto& definition = table->columns[resolve_column(*table, assignment.column)];
    if (definition.kind != ColumnKind::kRegular && definition.kind != ColumnKind::kStatic) {
      throw_invalid("PRIMARY KEY part " + definition.name + " found in SET part");
    }
    if (assignment.kind != Assignment::Kind::kSet && definition.is_frozen_collection()) {
      throw_invalid("Invalid operation (" + definition.name + " = " + definition.name +
                    " + ...) for frozen collection column " + definition.name);
    }
    if (assignment.kind != Assignment::Kind::kSet && !definition.type.is_collection()) {
      throw_invalid("Invalid operation (" + definition.name + " = " + definition.name +
                    " + ?) for non counter column " + definition.name);
    }
  }
  WriteTime time = write_time(context, *table, update.using_, values, batch_timestamp);
  std::int64_t now = now_millis();
  bool conditional = update.if_exists || !update.conditions.empty();
  for (const auto& partition_key : target.partition_keys) {
    for (const auto& clustering : target.clusterings) {
      if (conditional) {
        if (auto failed = check_conditions(context, *table, update.conditions, update.if_exists,
                                           partition_key, clustering, values)) {
          return failed;
        }
      }
      std::string key = row_key(*table, partition_key, clustering);
      std::optional<std::optional<storage::StoredRow>> current;
      auto current_row = [&]() -> const std::optional<storage::StoredRow>& {
        if (!current) current = read_row(context, *table, key);
        return *current;
      };
      RowRecord record;
      for (const auto& assignment : update.assignments) {
        const auto& definition = table->columns[resolve_column(*table, assignment.column)];
        if (is_multi_cell(definition) && assignment.kind != Assignment::Kind::kSet) {
          update_collection(record, definition, assignment, current_row, time.liveness(now),
                            values);
          continue;
        }
        TermValue value = evaluate(assignment.value, definition.type, definition.name, values);
        if (value.state == BoundValue::State::kUnset) continue;
        if (is_multi_cell(definition)) {
          overwrite_collection(record, definition, value, time.liveness(now));
          continue;
        }
        record.cells.push_back(make_cell(definition.name, value, time.liveness(now), now));
      }
      sort_cells(record);
      batch.Merge(key, storage::encode_row(record));
    }
  }
  if (conditional) return applied_result(*table, true);
  return std::nullopt;
}

std::optional<Rows> remove(const Context& context, const cql3::Delete& deletion,
                           const std::vector<BoundValue>& values,
                           std::optional<std::int64_t> batch_timestamp,
                           rocksdb::WriteBatch& batch) {
  auto table = resolve_writable_table(context, deletion.table);
  if (deletion.using_.ttl) throw_invalid("Cannot provide custom TTL for DELETE statements");
  Restrictions restrictions = bind_restrictions(*table, deletion.where, values);
  bool full_rows = !deletion.columns.empty() || deletion.if_exists || !deletion.conditions.empty();
  check_write_rules(restrictions, "DELETE", deletion.if_exists || !deletion.conditions.empty(),
                    deletion.using_);
  if (!deletion.columns.empty() &&
      (restrictions.clustering_lower || restrictions.clustering_upper)) {
    throw_invalid("Range deletions are not supported for specific columns");
  }
  WriteTarget target = rows_named(*table, restrictions, !full_rows);
  WriteTime time = write_time(context, *table, deletion.using_, values, batch_timestamp);
  std::int64_t now = now_millis();
  bool conditional = deletion.if_exists || !deletion.conditions.empty();
  for (const auto& partition_key : target.partition_keys) {
    std::string prefix = partition_prefix(*table, partition_key);
    for (const auto& clustering : target.clusterings) {
      if (conditional) {
        if (auto failed = check_conditions(context, *table, deletion.conditions, deletion.if_exists,
                                           partition_key, clustering, values)) {
          return failed;
        }
      }
      bool whole_row = clustering.size() == table->clustering_count &&
                       !restrictions.clustering_lower && !restrictions.clustering_upper;
      if (!deletion.columns.empty()) {
        std::string key = row_key(*table, partition_key, clustering);
        RowRecord record;
        std::optional<storage::StoredRow> current;
        bool current_read = false;
        for (const auto& target_column : deletion.columns) {
          const auto& definition = table->columns[resolve_column(*table, target_column.column)];
          if (definition.kind != ColumnKind::kRegular && definition.kind != ColumnKind::kStatic) {
            throw_invalid("Invalid identifier " + definition.name +
                          " for deletion (should not be a PRIMARY KEY part)");
          }
          if (target_column.element) {
            const DataType& type = definition.type;
            if (!is_multi_cell(definition)) {
              throw_invalid("Invalid element deletion for non-collection column " +
                            definition.name);
            }
            std::string element;
            if (type.kind == TypeKind::kList) {
              if (!current_read) {
                current = read_row(context, *table, key);
                current_read = true;
              }
              element = list_element_key(definition, *target_column.element, current, values);
            } else {
              TermValue key_value =
                  evaluate(*target_column.element, type.parameters[0], definition.name, values);
              if (!key_value.is_set())
                throw_invalid("Invalid null value for " + definition.name + " element");
              element = key_value.bytes;
            }
            record.cells.push_back(element_tombstone(definition, element, time.liveness(now)));
            continue;
          }
          TermValue value;
          record.cells.push_back(make_cell(definition.name, value, time.liveness(now), now));
        }
        sort_cells(record);
        batch.Merge(key, storage::encode_row(record));
      } else if (whole_row) {
        RowRecord record;
        record.deletion = time.timestamp;
        batch.Merge(row_key(*table, partition_key, clustering), storage::encode_row(record));
      } else if (clustering.empty() && !restrictions.clustering_lower &&
                 !restrictions.clustering_upper) {
        storage::PartitionHeader header;
        header.deletion = time.timestamp;
        batch.Merge(prefix + std::string(1, storage::kPartitionHeader),
                    storage::encode_header(header));
      } else {
        storage::RangeTombstone range;
        range.prefix = clustering;
        range.timestamp = time.timestamp;
        if (restrictions.clustering_lower) {
          range.lower = restrictions.clustering_lower->values[0];
          range.lower_inclusive = restrictions.clustering_lower->op == cql3::Operator::kGe;
        }
        if (restrictions.clustering_upper) {
          range.upper = restrictions.clustering_upper->values[0];
          range.upper_inclusive = restrictions.clustering_upper->op == cql3::Operator::kLe;
        }
        storage::PartitionHeader header;
        header.ranges.push_back(std::move(range));
        batch.Merge(prefix + std::string(1, storage::kPartitionHeader),
                    storage::encode_header(header));
      }
    }
  }
  if (conditional) return applied_result(*table, true);
  return std::nullopt;
}

}  // namespace

std::vector<std::string> partitions_written(const Context& context,
                                            const cql3::Modification& statement,
                                            const std::vector<BoundValue>& values) {
  std::vector<std::string> partitions;
  if (const auto* insert = std::get_if<cql3::Insert>(&statement)) {
    auto table = resolve_table(context, insert->table);
    std::vector<std::string> components(table->partition_key_count);
    for (std::size_t i = 0; i < insert->columns.size() && i < insert->values.size(); ++i) {
      int column = table->find(insert->columns[i]);
      if (column < 0 || static_cast<std::size_t>(column) >= table->partition_key_count) continue;
      const auto& definition = table->columns[static_cast<std::size_t>(column)];
      components[static_cast<std::size_t>(column)] =
          evaluate(insert->values[i], definition.type, definition.name, values).bytes;
    }
    partitions.push_back(table->keyspace + "." + table->name + ":" +
                         storage::serialize_partition_key(components));
    return partitions;
  }
  const auto* update = std::get_if<cql3::Update>(&statement);
  const auto& table_name = update ? update->table : std::get<cql3::Delete>(statement).table;
  const auto& where = update ? update->where : std::get<cql3::Delete>(statement).where;
  auto table = resolve_table(context, table_name);
  Restrictions restrictions = bind_restrictions(*table, where, values);
  if (restrictions.partition_keys) {
    for (const auto& key : *restrictions.partition_keys) {
      partitions.push_back(table->keyspace + "." + table->name + ":" + key);
    }
  }
  return partitions;
}

bool is_conditional(const cql3::Modification& statement) {
  if (const auto* insert = std::get_if<cql3::Insert>(&statement)) return insert->if_not_exists;
  if (const auto* update = std::get_if<cql3::Update>(&statement))
    return update->if_exists || !update->conditions.empty();
  const auto& deletion = std::get<cql3::Delete>(statement);
  return deletion.if_exists || !deletion.conditions.empty();
}

std::optional<Rows> add_modification(const Context& context, const cql3::Modification& statement,
                                     const std::vector<BoundValue>& values,
                                     std::optional<std::int64_t> batch_timestamp,
                                     rocksdb::WriteBatch& batch) {
  if (const auto* statement_insert = std::get_if<cql3::Insert>(&statement)) {
    return insert(context, *statement_insert, values, batch_timestamp, batch);
  }
  if (const auto* statement_update = std::get_if<cql3::Update>(&statement)) {
    return update(context, *statement_update, values, batch_timestamp, batch);
  }
  return remove(context, std::get<cql3::Delete>(statement), values, batch_timestamp, batch);
}

}  // namespace runnel::store::executor
