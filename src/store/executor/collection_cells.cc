#include "store/executor/collection_cells.h"

#include <algorithm>

#include "cql/value.h"
#include "store/executor/terms.h"

namespace runnel::store::executor {
namespace {

using runnel::cql::DataType;
using runnel::cql::TypeKind;

std::string list_key(std::int64_t position) {
  std::string key(8, '\0');
  auto bits = static_cast<std::uint64_t>(position) ^ (std::uint64_t{1} << 63);
  for (int i = 0; i < 8; ++i) key[i] = static_cast<char>(bits >> (56 - 8 * i));
  return key;
}

}  // namespace

bool is_multi_cell(const schema::ColumnDef& column) {
  return column.type.is_collection() && !column.is_frozen_collection();
}

std::string element_cell_name(const std::string& column, std::string_view key) {
  std::string name = column;
  name.push_back('\0');
  name.append(key);
  return name;
}

std::optional<std::string_view> element_column(std::string_view cell_name) {
  auto separator = cell_name.find('\0');
  if (separator == std::string_view::npos) return std::nullopt;
  return cell_name.substr(0, separator);
}

std::string_view element_key(std::string_view cell_name) {
  return cell_name.substr(cell_name.find('\0') + 1);
}

std::string list_append_key() { return list_key(next_timestamp_micros()); }
std::string list_prepend_key() { return list_key(-next_timestamp_micros()); }

std::vector<std::pair<std::string, std::string>> elements_of(const DataType& type,
                                                             std::string_view serialized) {
  std::vector<std::pair<std::string, std::string>> out;
  bool is_map = type.kind == TypeKind::kMap;
  auto elements = runnel::cql::decode_collection(serialized, is_map);
  if (!elements) return out;
  for (std::size_t i = 0; i < elements->size(); i += is_map ? 2 : 1) {
    switch (type.kind) {
      case TypeKind::kMap:
        out.emplace_back((*elements)[i], (*elements)[i + 1]);
        break;
      case TypeKind::kSet:
        out.emplace_back((*elements)[i], "");
        break;
      default:
        out.emplace_back(list_append_key(), (*elements)[i]);
        break;
    }
  }
  return out;
}

std::optional<std::string> assemble(const DataType& type,
                                    std::vector<std::pair<std::string, std::string>> elements) {
  if (elements.empty()) return std::nullopt;
  bool is_map = type.kind == TypeKind::kMap;
  if (type.kind != TypeKind::kList) {
    // Cell names sort as bytes; a set or map shows its keys in CQL order.
    std::stable_sort(elements.begin(), elements.end(), [&](const auto& a, const auto& b) {
      return runnel::cql::compare(type.parameters[0], a.first, b.first) < 0;
    });
  }
  std::vector<std::string> flat;
  for (auto& [key, value] : elements) {
    if (type.kind == TypeKind::kList) {
      flat.push_back(std::move(value));
      continue;
    }
    flat.push_back(std::move(key));
    if (is_map) flat.push_back(std::move(value));
  }
  return runnel::cql::encode_collection(flat, is_map);
}

std::vector<std::pair<std::string, std::string>> element_cells(const storage::StoredRow& row,
                                                               const std::string& column) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& cell : row.record.cells) {
    auto owner = element_column(cell.column);
    if (owner && *owner == column) out.emplace_back(element_key(cell.column), cell.value);
  }
  return out;
}

std::optional<std::string> column_value(const storage::StoredRow& row,
                                        const schema::ColumnDef& column) {
  if (is_multi_cell(column)) return assemble(column.type, element_cells(row, column.name));
  for (const auto& cell : row.record.cells) {
    if (cell.column == column.name) return cell.value;
  }
  return std::nullopt;
}

}  // namespace runnel::store::executor
