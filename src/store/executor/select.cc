#include "store/executor/select.h"

#include <algorithm>
#include <map>

#include "cql/murmur3.h"
#include "cql/value.h"
#include "store/executor/collection_cells.h"
#include "store/executor/request_error.h"
#include "store/executor/restrictions.h"
#include "store/executor/terms.h"
#include "store/storage/byte_io.h"
#include "store/storage/table_scan.h"

namespace runnel::store::executor {
namespace {

using runnel::cql::DataType;
using runnel::cql::TypeKind;
using Selector = cql3::Selector;

// A row as the selection sees it: a value per table column, with each
// regular column's write time and remaining TTL.
struct CandidateRow {
  std::string key;  // paging position
  std::string partition_key;
  std::vector<std::optional<std::string>> values;
  std::vector<std::optional<std::int64_t>> writetimes;
  std::vector<std::optional<std::int32_t>> ttls;
};

struct ResolvedSelector {
  Selector::Kind kind = Selector::Kind::kColumn;
  std::vector<std::size_t> columns;
  ColumnSpec spec;
};

std::vector<ResolvedSelector> resolve_selectors(const schema::TableDef& table,
                                                const cql3::Select& select) {
  std::vector<ResolvedSelector> resolved;
  resolved.reserve(select.star ? table.columns.size() : select.selectors.size());
  auto spec = [&](std::string name, DataType type) {
    return ColumnSpec{table.keyspace, table.name, std::move(name), std::move(type)};
  };
  if (select.star) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      resolved.push_back(
          {Selector::Kind::kColumn, {i}, spec(table.columns[i].name, table.columns[i].type)});
    }
    return resolved;
  }
  for (const auto& selector : select.selectors) {
    ResolvedSelector out;
    out.kind = selector.kind;
    for (const auto& column : selector.columns)
      out.columns.push_back(resolve_column(table, column));
    switch (selector.kind) {
      case Selector::Kind::kColumn:
        out.spec = spec(table.columns[out.columns[0]].name, table.columns[out.columns[0]].type);
        break;
      case Selector::Kind::kCount:
        out.spec = spec("count", DataType::of(TypeKind::kBigint));
        break;
      case Selector::Kind::kWritetime:
      case Selector::Kind::kTtl: {
        const auto& column = table.columns[out.columns[0]];
        bool ttl = selector.kind == Selector::Kind::kTtl;
        if (column.kind == schema::ColumnKind::kPartitionKey ||
            column.kind == schema::ColumnKind::kClustering) {
          throw_invalid("Cannot use selection function " + std::string(ttl ? "ttl" : "writeTime") +
                        " on PRIMARY KEY part " + column.name);
        }
        if (is_multi_cell(column)) {
          throw_invalid("Cannot use selection function " + std::string(ttl ? "ttl" : "writeTime") +
                        " on collections");
        }
        out.spec = spec(std::string(ttl ? "ttl(" : "writetime(") + column.name + ")",
                        DataType::of(ttl ? TypeKind::kInt : TypeKind::kBigint));
        break;
      }
      case Selector::Kind::kToken: {
        std::string name = "system.token(";
        for (std::size_t i = 0; i < selector.columns.size(); ++i) {
          name += (i ? ", " : "") + selector.columns[i];
          if (out.columns[i] != i || selector.columns.size() != table.partition_key_count) {
            throw_invalid("Invalid arguments for token()");
          }
        }
        out.spec = spec(name + ")", DataType::of(TypeKind::kBigint));
        break;
      }
    }
    if (!selector.alias.empty()) out.spec.name = selector.alias;
    resolved.push_back(std::move(out));
  }
  return resolved;
}

CandidateRow from_stored(const schema::TableDef& table, storage::StoredRow stored,
                         std::int64_t now) {
  CandidateRow row;
  row.values.resize(table.columns.size());
  row.writetimes.resize(table.columns.size());
  row.ttls.resize(table.columns.size());
  auto components = storage::split_partition_key(stored.partition_key, table.partition_key_count);
  if (components) {
    for (std::size_t i = 0; i < components->size(); ++i)
      row.values[i] = std::move((*components)[i]);
  }
  for (std::size_t i = 0; i < stored.clustering.size() && i < table.clustering_count; ++i) {
    row.values[table.partition_key_count + i] = std::move(stored.clustering[i]);
  }
  // Element cells of multi-cell collections, gathered per column.
  std::map<std::size_t, std::vector<std::pair<std::string, std::string>>> elements;
  for (auto& cell : stored.record.cells) {
    if (auto owner = element_column(cell.column)) {
      int index = table.find(std::string(*owner));
      if (index >= 0) {
        elements[static_cast<std::size_t>(index)].emplace_back(element_key(cell.column),
                                                               std::move(cell.value));
      }
      continue;
    }
    int index = table.find(cell.column);
    if (index < 0) continue;  // a dropped column
    auto at = static_cast<std::size_t>(index);
    row.writetimes[at] = cell.liveness.timestamp;
    if (cell.liveness.expires_at != 0)
      row.ttls[at] = static_cast<std::int32_t>((cell.liveness.expires_at - now + 999) / 1000);
    row.values[at] = std::move(cell.value);
  }
  for (auto& [column, cells] : elements) {
    row.values[column] = assemble(table.columns[column].type, std::move(cells));
  }
  row.key = std::move(stored.key);
  row.partition_key = std::move(stored.partition_key);
  return row;
}

// Paging state: the remaining LIMIT (-1 for none), then the last row's key.
std::string encode_paging_state(std::int64_t remaining, const std::string& key) {
  storage::Writer writer;
  writer.i64(remaining);
  writer.bytes(key);
  return writer.take();
}

struct PagingPosition {
  std::int64_t remaining = -1;
  std::string key;
};

PagingPosition decode_paging_state(const std::string& state) {
  storage::Reader reader(state);
  PagingPosition position;
  position.remaining = reader.i64();
  position.key = reader.bytes();
  if (!reader.ok() || !reader.done())
    throw_error(runnel::cql::ErrorCode::kProtocolError, "Invalid paging state");
  return position;
}

std::string encode_virtual_position(std::size_t index) {
  storage::Writer writer;
  writer.i64(static_cast<std::int64_t>(index));
  return writer.take();
}

std::int32_t bound_int(const cql3::Term& term, const std::string& name,
                       const std::vector<BoundValue>& values) {
  TermValue value = evaluate(term, DataType::of(TypeKind::kInt), name, values);
  if (!value.is_set()) throw_invalid("Invalid null value of " + name);
  std::int32_t number = runnel::cql::decode_int(value.bytes);
  if (number <= 0)
    throw_invalid(std::string(name == "[limit]" ? "LIMIT" : "PER PARTITION LIMIT") +
                  " must be strictly positive");
  return number;
}

// The key ranges a SELECT reads, in key order: one per partition it
// names, or the table's (token-bounded) range.
std::vector<std::pair<std::string, std::string>> key_ranges(const schema::TableDef& table,
                                                            const Restrictions& restrictions) {
  std::vector<std::pair<std::string, std::string>> ranges;
  if (restrictions.partition_keys) {
    std::vector<std::string> prefixes;
    for (const auto& key : *restrictions.partition_keys) {
      if (key.empty()) continue;
      std::int64_t token = runnel::cql::murmur3_token(key);
      if (token < restrictions.min_token || token > restrictions.max_token) continue;
      prefixes.push_back(storage::partition_prefix(table.storage_id, token, key));
    }
    std::sort(prefixes.begin(), prefixes.end());
    prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());
    for (auto& prefix : prefixes) {
      std::string upper = storage::prefix_successor(prefix);
      ranges.emplace_back(std::move(prefix), std::move(upper));
    }
    return ranges;
  }
  std::string prefix = storage::table_prefix(table.storage_id);
  std::string lower = prefix;
  std::string upper = storage::prefix_successor(prefix);
  if (restrictions.on_token) {
    if (restrictions.min_token > restrictions.max_token) {
      lower = upper;
    } else {
      lower = prefix + storage::encode_token(restrictions.min_token);
      if (restrictions.max_token != INT64_MAX) {
        upper = prefix + storage::encode_token(restrictions.max_token + 1);
      }
    }
  }
  ranges.emplace_back(std::move(lower), std::move(upper));
  return ranges;
}

const std::string kFilteringMessage =
    "Cannot execute this query as it might involve data filtering and thus may have unpredictable "
    "performance. If you want to execute this query despite the performance unpredictability, use "
    "ALLOW FILTERING";

}  // namespace

std::vector<ColumnSpec> select_columns(const schema::TableDef& table, const cql3::Select& select) {
  std::vector<ColumnSpec> columns;
  for (auto& selector : resolve_selectors(table, select))
    columns.push_back(std::move(selector.spec));
  return columns;
}

bool reads_single_partition(const schema::TableDef& table, const cql3::Select& select) {
  for (std::size_t key = 0; key < table.partition_key_count; ++key) {
    const std::string& column = table.columns[key].name;
    bool fixed = std::any_of(select.where.begin(), select.where.end(), [&](const auto& relation) {
      return !relation.on_token && !relation.multi_column && relation.op == cql3::Operator::kEq &&
             relation.columns.size() == 1 && relation.columns[0] == column;
    });
    if (!fixed) return false;
  }
  return table.partition_key_count > 0;
}

Rows execute_select(const Context& context, const cql3::Select& select) {
  auto table = resolve_table(context, select.table);
  if (select.json) throw_invalid("SELECT JSON is not supported by this store");
  const auto& parameters = context.parameters;
  auto selectors = resolve_selectors(*table, select);
  Restrictions restrictions = bind_restrictions(*table, select.where, parameters.values);
  if (restrictions.needs_filtering && !select.allow_filtering) {
    throw_invalid(restrictions.clustering_problem.empty() ? kFilteringMessage
                                                          : restrictions.clustering_problem);
  }

  bool reversed = false;
  if (!select.order_by.empty()) {
    if (!restrictions.partition_keys) {
      throw_invalid(
          "ORDER BY is only supported when the partition key is restricted by an EQ or an IN.");
    }
    for (std::size_t i = 0; i < select.order_by.size(); ++i) {
      const auto& [name, descending] = select.order_by[i];
      std::size_t column = resolve_column(*table, name);
      if (table->columns[column].kind != schema::ColumnKind::kClustering) {
        throw_invalid(
            "Order by is currently only supported on the clustered columns of the PRIMARY KEY, "
            "got " +
            name);
      }
      if (column != table->partition_key_count + i)
        throw_invalid(
            "Order by currently only support the ordering of columns following their declared "
            "order in the PRIMARY KEY");
      bool flips = descending != table->columns[column].descending;
      if (i > 0 && flips != reversed) throw_invalid("Unsupported order by relation");
      reversed = flips;
    }
  }

  std::optional<std::int64_t> limit;
  if (select.limit) limit = bound_int(*select.limit, "[limit]", parameters.values);
  std::optional<std::int32_t> per_partition_limit;
  if (select.per_partition_limit) {
    per_partition_limit =
        bound_int(*select.per_partition_limit, "[per_partition_limit]", parameters.values);
  }
  bool counting = std::any_of(selectors.begin(), selectors.end(), [](const ResolvedSelector& s) {
    return s.kind == Selector::Kind::kCount;
  });
  std::int32_t page_size = counting ? 0 : parameters.page_size;
  std::optional<PagingPosition> resume;
  if (parameters.paging_state && !parameters.paging_state->empty() && !counting) {
    resume = decode_paging_state(*parameters.paging_state);
    limit = resume->remaining >= 0 ? std::optional<std::int64_t>(resume->remaining) : std::nullopt;
  }

  Rows result;
  // The specs go to the result; what follows needs only the selectors' kinds
  // and columns.
  result.columns.reserve(selectors.size());
  for (auto& selector : selectors) result.columns.push_back(std::move(selector.spec));
  std::int64_t count = 0;
  std::optional<CandidateRow> first_counted;
  std::int64_t now = now_millis();
  std::string last_partition;
  std::int32_t in_partition = 0;
  bool done = false;
  std::string last_key;

  // Takes one candidate; false when the page or the limit is full.
  auto take = [&](CandidateRow row) -> bool {
    if (!satisfies(*table, restrictions.relations, row.values)) return true;
    if (row.partition_key != last_partition) {
      last_partition = row.partition_key;
      in_partition = 0;
    } else if (select.distinct) {
      return true;
    }
    if (per_partition_limit && in_partition >= *per_partition_limit) return true;
    ++in_partition;
    if (counting) {
      if (!first_counted) first_counted = row;
      ++count;
      return true;
    }
    std::vector<std::optional<std::string>> out;
    out.reserve(selectors.size());
    for (const auto& selector : selectors) {
      std::size_t column = selector.columns.empty() ? 0 : selector.columns[0];
      switch (selector.kind) {
        case Selector::Kind::kColumn:
          out.push_back(row.values[column]);
          break;
        case Selector::Kind::kWritetime:
          out.push_back(
              row.writetimes[column]
                  ? std::optional<std::string>(runnel::cql::encode_bigint(*row.writetimes[column]))
                  : std::nullopt);
          break;
        case Selector::Kind::kTtl:
          out.push_back(row.ttls[column]
                            ? std::optional<std::string>(runnel::cql::encode_int(*row.ttls[column]))
                            : std::nullopt);
          break;
        case Selector::Kind::kToken:
          out.push_back(runnel::cql::encode_bigint(runnel::cql::murmur3_token(row.partition_key)));
          break;
        case Selector::Kind::kCount:
          break;
      }
    }
    result.rows.push_back(std::move(out));
    last_key = row.key;
    if (limit && static_cast<std::int64_t>(result.rows.size()) >= *limit) {
      done = true;
      return false;
    }
    if (page_size > 0 && static_cast<std::int32_t>(result.rows.size()) >= page_size) return false;
    return true;
  };

  bool more = false;  // stopped with rows possibly left
  if (table->is_virtual) {
    auto rows = schema::system_rows(*table, *context.catalog, context.store.node);
    std::size_t start = 0;
    if (resume) {
      storage::Reader reader(resume->key);
      start = static_cast<std::size_t>(reader.i64()) + 1;
    }
    for (std::size_t i = start; i < rows.size(); ++i) {
      CandidateRow row;
      row.key = encode_virtual_position(i);
      std::vector<std::string> key_parts;
      for (std::size_t k = 0; k < table->partition_key_count; ++k)
        key_parts.push_back(rows[i][k].value_or(""));
      row.partition_key = storage::serialize_partition_key(key_parts);
      row.values = std::move(rows[i]);
      row.writetimes.resize(row.values.size());
      row.ttls.resize(row.values.size());
      if (!take(std::move(row))) {
        more = i + 1 < rows.size();
        break;
      }
    }
  } else {
    std::vector<storage::ClusteringColumn> clustering;
    for (std::size_t i = 0; i < table->clustering_count; ++i) {
      const auto& column = table->columns[table->partition_key_count + i];
      clustering.push_back({column.type, column.descending});
    }
    auto ranges = key_ranges(*table, restrictions);
    if (!select.order_by.empty() && ranges.size() > 1) {
      // ORDER BY over several partitions: rows of all of them, merged in
      // clustering order.
      if (page_size > 0) {
        throw_invalid(
            "Cannot page queries with both ORDER BY and a IN restriction on the partition key; you "
            "must either remove the ORDER BY or the IN and sort client side, or disable paging for "
            "this query");
      }
      std::vector<CandidateRow> rows;
      for (const auto& [lower, upper] : ranges) {
        storage::TableScan scan(context.store.database, clustering, lower, upper, now);
        while (true) {
          auto next = scan.next();
          if (!next) throw_error(runnel::cql::ErrorCode::kServerError, next.status().message());
          if (!next->has_value()) break;
          rows.push_back(from_stored(*table, std::move(**next), now));
        }
      }
      std::stable_sort(rows.begin(), rows.end(), [&](const CandidateRow& a, const CandidateRow& b) {
        for (std::size_t i = 0; i < table->clustering_count; ++i) {
          std::size_t column = table->partition_key_count + i;
          const auto& definition = table->columns[column];
          int c = runnel::cql::compare(definition.type, a.values[column].value_or(""),
                                       b.values[column].value_or(""));
          if (definition.descending != reversed) c = -c;
          if (c != 0) return c < 0;
        }
        return false;
      });
      for (auto& row : rows) {
        if (!take(std::move(row))) break;
      }
      ranges.clear();
    }
    // A partition of a table without clustering columns is one row: read
    // it with point lookups.
    if (table->clustering_count == 0 && restrictions.partition_keys && !resume) {
      for (const auto& [lower, upper] : ranges) {
        auto row = storage::read_row(context.store.database, clustering,
                                     lower + std::string(1, storage::kRow), now);
        if (!row) throw_error(runnel::cql::ErrorCode::kServerError, row.status().message());
        if (row->has_value() && !take(from_stored(*table, std::move(**row), now))) break;
      }
      ranges.clear();
    }
    for (auto& [lower, upper] : ranges) {
      if (done) break;
      if (!reversed) {
        if (resume) {
          if (upper <= resume->key) continue;
          lower = std::max(lower, resume->key + std::string(1, '\0'));
        }
        storage::TableScan scan(context.store.database, clustering, lower, upper, now);
        bool stop = false;
        while (true) {
          auto next = scan.next();
          if (!next) throw_error(runnel::cql::ErrorCode::kServerError, next.status().message());
          if (!next->has_value()) break;
          if (!take(from_stored(*table, std::move(**next), now))) {
            stop = true;
            break;
          }
        }
        if (stop) {
          more = !done;
          break;
        }
      } else {
        if (resume && lower > resume->key) continue;
        storage::TableScan scan(context.store.database, clustering, lower, upper, now);
        std::vector<CandidateRow> rows;
        while (true) {
          auto next = scan.next();
          if (!next) throw_error(runnel::cql::ErrorCode::kServerError, next.status().message());
          if (!next->has_value()) break;
          rows.push_back(from_stored(*table, std::move(**next), now));
        }
        std::reverse(rows.begin(), rows.end());
        bool stop = false;
        for (auto& row : rows) {
          if (resume && row.key >= resume->key) continue;
          if (!take(std::move(row))) {
            stop = true;
            break;
          }
        }
        if (stop) {
          more = !done;
          break;
        }
      }
    }
  }

  if (counting) {
    std::vector<std::optional<std::string>> out;
    out.reserve(selectors.size());
    for (const auto& selector : selectors) {
      if (selector.kind == Selector::Kind::kCount) {
        out.push_back(runnel::cql::encode_bigint(count));
      } else if (first_counted && selector.kind == Selector::Kind::kColumn) {
        out.push_back(first_counted->values[selector.columns[0]]);
      } else {
        out.push_back(std::nullopt);
      }
    }
    result.rows.push_back(std::move(out));
    return result;
  }
  // A page that reached the LIMIT is the last one.
  if (more && page_size > 0 && !done) {
    std::int64_t remaining = limit ? *limit - static_cast<std::int64_t>(result.rows.size()) : -1;
    result.paging_state = encode_paging_state(remaining, last_key);
  }
  return result;
}

}  // namespace runnel::store::executor
