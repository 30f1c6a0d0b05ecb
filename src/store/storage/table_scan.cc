#include "store/storage/table_scan.h"

#include <algorithm>

#include "cql/value.h"

namespace runnel::store::storage {
namespace {

bool covered_by_range(const PartitionHeader& header, const std::vector<ClusteringColumn>& columns,
                      const std::vector<std::string>& clustering, std::int64_t timestamp) {
  for (const auto& range : header.ranges) {
    if (range.timestamp < timestamp) continue;
    std::size_t depth = range.prefix.size();
    if (depth > clustering.size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < depth && matches; ++i) {
      matches = runnel::cql::compare(columns[i].type, clustering[i], range.prefix[i]) == 0;
    }
    if (!matches) continue;
    if (depth < clustering.size()) {
      const auto& type = columns[depth].type;
      const std::string& value = clustering[depth];
      if (range.lower) {
        int c = runnel::cql::compare(type, value, *range.lower);
        if (c < 0 || (c == 0 && !range.lower_inclusive)) continue;
      }
      if (range.upper) {
        int c = runnel::cql::compare(type, value, *range.upper);
        if (c > 0 || (c == 0 && !range.upper_inclusive)) continue;
      }
    }
    return true;
  }
  return false;
}

// The row at `key` (a row key) with its stored `value`, as a read at
// `now_millis` sees it under `header`: nullopt when nothing of it is live.
Result<std::optional<StoredRow>> resolve_row(const PartitionHeader& header,
                                             const std::vector<ClusteringColumn>& columns,
                                             std::string_view key, std::string_view value,
                                             std::int64_t now_millis) {
  auto decoded = decode_key(key);
  if (!decoded || !decoded->is_row) return data_loss("a row key in the store cannot be read");
  auto record = decode_row(value);
  if (!record) return data_loss("a row record in the store cannot be read");
  auto clustering = decode_clustering(decoded->clustering, columns);
  if (!clustering) return data_loss("a clustering key in the store cannot be read");
  std::int64_t deleted_up_to = std::max(header.deletion, record->deletion);
  auto visible = [&](std::int64_t timestamp) {
    return timestamp > deleted_up_to && !covered_by_range(header, columns, *clustering, timestamp);
  };
  StoredRow row;
  if (record->marker && visible(record->marker->timestamp) && record->marker->is_live(now_millis)) {
    row.record.marker = record->marker;
  }
  // Cells are sorted by name, so a column's own cell comes right before
  // its element cells ("<column>\0<key>", see executor/collection_cells.h):
  // a tombstone there shadows the older elements.
  std::string shadowing_column;
  std::int64_t shadowed_up_to = kNoDeletion;
  row.record.cells.reserve(record->cells.size());
  for (auto& cell : record->cells) {
    auto separator = cell.column.find('\0');
    if (separator == std::string::npos) {
      shadowing_column = cell.tombstone ? cell.column : std::string();
      shadowed_up_to = cell.tombstone ? cell.liveness.timestamp : kNoDeletion;
    } else if (std::string_view(cell.column).substr(0, separator) == shadowing_column &&
               cell.liveness.timestamp <= shadowed_up_to) {
      continue;
    }
    if (!cell.tombstone && visible(cell.liveness.timestamp) && cell.liveness.is_live(now_millis)) {
      row.record.cells.push_back(std::move(cell));
    }
  }
  if (!row.record.marker && row.record.cells.empty()) return std::optional<StoredRow>();
  row.key.assign(key);
  row.token = decoded->token;
  row.partition_key = std::move(decoded->partition_key);
  row.clustering = std::move(*clustering);
  return std::optional<StoredRow>(std::move(row));
}

Result<PartitionHeader> read_header(const Database& database, const std::string& header_key) {
  auto stored = database.get(header_key);
  if (!stored) return stored.status();
  if (!stored->has_value()) return PartitionHeader{};
  auto header = decode_header(**stored);
  if (!header) return data_loss("a partition header in the store cannot be read");
  return std::move(*header);
}

}  // namespace

TableScan::TableScan(const Database& database, std::vector<ClusteringColumn> clustering,
                     std::string lower, std::string upper, std::int64_t now_millis)
    : database_(database), clustering_(std::move(clustering)), now_millis_(now_millis) {
  iterator_ = database_.scan(lower, upper);
}

Result<std::optional<StoredRow>> TableScan::next() {
  if (!started_) {
    iterator_->SeekToFirst();
    started_ = true;
  } else {
    iterator_->Next();
  }
  for (; iterator_->Valid(); iterator_->Next()) {
    std::string_view key(iterator_->key().data(), iterator_->key().size());
    auto decoded = decode_key(key);
    if (!decoded) return data_loss("a row key in the store cannot be read");
    std::size_t prefix_size = key.size() - decoded->clustering.size() - 1;
    std::string_view partition = key.substr(0, prefix_size);
    std::string_view value(iterator_->value().data(), iterator_->value().size());
    if (!decoded->is_row) {
      auto header = decode_header(value);
      if (!header) return data_loss("a partition header in the store cannot be read");
      header_ = std::move(*header);
      current_partition_.assign(partition);
      continue;
    }
    if (partition != current_partition_) {
      // The scan began inside this partition (a resumed page): load its header.
      current_partition_.assign(partition);
      auto header = read_header(database_, current_partition_ + std::string(1, kPartitionHeader));
      if (!header) return header.status();
      header_ = std::move(*header);
    }
    auto row = resolve_row(header_, clustering_, key, value, now_millis_);
    if (!row) return row.status();
    if (!row->has_value()) continue;
    return row;
  }
  if (!iterator_->status().ok())
    return internal_error("RocksDB: " + iterator_->status().ToString());
  return std::optional<StoredRow>();
}

Result<std::optional<StoredRow>> read_row(const Database& database,
                                          const std::vector<ClusteringColumn>& clustering,
                                          std::string_view row_key, std::int64_t now_millis) {
  auto decoded = decode_key(row_key);
  if (!decoded || !decoded->is_row) return invalid_argument("not a row key");
  auto stored = database.get(row_key);
  if (!stored) return stored.status();
  if (!stored->has_value()) return std::optional<StoredRow>();
  // A table without clustering columns has no partition headers (keys.h):
  // its partition is its one row, deleted by a row tombstone.
  if (clustering.empty())
    return resolve_row(PartitionHeader{}, clustering, row_key, **stored, now_millis);
  std::size_t prefix_size = row_key.size() - decoded->clustering.size() - 1;
  auto header = read_header(
      database, std::string(row_key.substr(0, prefix_size)) + std::string(1, kPartitionHeader));
  if (!header) return header.status();
  return resolve_row(*header, clustering, row_key, **stored, now_millis);
}

}  // namespace runnel::store::storage
