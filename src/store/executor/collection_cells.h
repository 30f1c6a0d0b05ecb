// A non-frozen collection column is stored as one cell per element, as in
// Cassandra: each element has its own write timestamp and TTL, and writing
// or deleting the whole collection is a tombstone on the column (a cell
// named after the column) that shadows its older elements. Element cells
// are named "<column>\0<element key>": a set's element, a map's key, or a
// list element's position (8 bytes, appends after and prepends before the
// existing ones). Frozen collections stay one cell.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/schema/table.h"
#include "store/storage/row_record.h"
#include "store/storage/table_scan.h"

namespace runnel::store::executor {

bool is_multi_cell(const schema::ColumnDef& column);

std::string element_cell_name(const std::string& column, std::string_view key);
// The column of an element cell's name, or nullopt for a column's own cell.
std::optional<std::string_view> element_column(std::string_view cell_name);
std::string_view element_key(std::string_view cell_name);  // REQUIRES: an element cell

// Keys for list elements: later appends sort after earlier ones, later
// prepends before earlier ones.
std::string list_append_key();
std::string list_prepend_key();

// A collection's elements as (key, value) pairs: for a serialized value
// about to be written (list keys freshly appended), and back.
std::vector<std::pair<std::string, std::string>> elements_of(const runnel::cql::DataType& type,
                                                             std::string_view serialized);
// The serialized collection of element cells given in cell name order;
// nullopt when there are none (a collection without elements is null).
std::optional<std::string> assemble(const runnel::cql::DataType& type,
                                    std::vector<std::pair<std::string, std::string>> elements);

// A column's current value in a row as a read sees it: its cell, or its
// element cells assembled.
std::optional<std::string> column_value(const storage::StoredRow& row,
                                        const schema::ColumnDef& column);
// The live element cells of a multi-cell column, as (key, value).
std::vector<std::pair<std::string, std::string>> element_cells(const storage::StoredRow& row,
                                                               const std::string& column);

}  // namespace runnel::store::executor
