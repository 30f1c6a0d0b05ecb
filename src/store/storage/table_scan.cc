#include "store/storage/table_scan.h"

#include <algorithm>

#include "cql/value.h"

namespace runnel::store::storage {

TableScan::TableScan(const Database& database, std::vector<ClusteringColumn> clustering,
                     std::string lower, std::string upper, std::int64_t now_seconds)
    : database_(database), clustering_(std::move(clustering)), now_seconds_(now_seconds) {
  iterator_ = database_.scan(lower, upper);
}

bool TableScan::covered_by_range(const std::vector<std::string>& clustering,
                                 std::int64_t timestamp) const {
  for (const auto& range : header_.ranges) {
    if (range.timestamp < timestamp) continue;
    std::size_t depth = range.prefix.size();
    if (depth > clustering.size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < depth && matches; ++i) {
      matches = runnel::cql::compare(clustering_[i].type, clustering[i], range.prefix[i]) == 0;
    }
    if (!matches) continue;
    if (depth < clustering.size()) {
      const auto& type = clustering_[depth].type;
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
      header_ = PartitionHeader{};
      auto stored = database_.get(current_partition_ + std::string(1, kPartitionHeader));
      if (!stored) return stored.status();
      if (stored->has_value()) {
        auto header = decode_header(**stored);
        if (!header) return data_loss("a partition header in the store cannot be read");
        header_ = std::move(*header);
      }
    }
    auto record = decode_row(value);
    if (!record) return data_loss("a row record in the store cannot be read");
    auto clustering = decode_clustering(decoded->clustering, clustering_);
    if (!clustering) return data_loss("a clustering key in the store cannot be read");

    std::int64_t deleted_up_to = std::max(header_.deletion, record->deletion);
    auto visible = [&](std::int64_t timestamp) {
      return timestamp > deleted_up_to && !covered_by_range(*clustering, timestamp);
    };
    StoredRow row;
    if (record->marker && visible(record->marker->timestamp) &&
        record->marker->is_live(now_seconds_)) {
      row.record.marker = record->marker;
    }
    for (auto& cell : record->cells) {
      if (!cell.tombstone && visible(cell.liveness.timestamp) &&
          cell.liveness.is_live(now_seconds_)) {
        row.record.cells.push_back(std::move(cell));
      }
    }
    if (!row.record.marker && row.record.cells.empty()) continue;
    row.key.assign(key);
    row.token = decoded->token;
    row.partition_key = std::move(decoded->partition_key);
    row.clustering = std::move(*clustering);
    return std::optional<StoredRow>(std::move(row));
  }
  if (!iterator_->status().ok())
    return internal_error("RocksDB: " + iterator_->status().ToString());
  return std::optional<StoredRow>();
}

}  // namespace runnel::store::storage
