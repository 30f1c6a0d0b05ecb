#include "sinks/cql/cql_table.h"

#include <algorithm>
#include <vector>

#include "cql/value.h"

namespace runnel::sinks {
namespace {

// Characters on screen: UTF-8 code points (continuation bytes not counted).
size_t display_width(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string padding(size_t width, const std::string& text) {
  return std::string(width - std::min(width, display_width(text)), ' ');
}

}  // namespace

std::string format_rows_table(const store::Rows& rows) {
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  for (const store::ColumnSpec& column : rows.columns) widths.push_back(display_width(column.name));
  for (const auto& row : rows.rows) {
    std::vector<std::string> line;
    for (size_t c = 0; c < rows.columns.size() && c < row.size(); ++c) {
      line.push_back(row[c] ? cql::format(rows.columns[c].type, *row[c]) : "null");
      widths[c] = std::max(widths[c], display_width(line.back()));
    }
    cells.push_back(std::move(line));
  }

  std::string out = "\n";
  std::string header;
  std::string separator = "-";
  for (size_t c = 0; c < rows.columns.size(); ++c) {
    const std::string& name = rows.columns[c].name;
    header += (c == 0 ? " " : " | ") + name + padding(widths[c], name);
    separator += (c == 0 ? "" : "-+-") + std::string(widths[c], '-');
  }
  while (!header.empty() && header.back() == ' ') header.pop_back();
  out += header + "\n" + separator + "-\n";
  for (const auto& line : cells) {
    for (size_t c = 0; c < line.size(); ++c) {
      out += (c == 0 ? " " : " | ") + padding(widths[c], line[c]) + line[c];
    }
    out += "\n";
  }
  out += "\n(" + std::to_string(rows.rows.size()) + " rows)\n";
  return out;
}

}  // namespace runnel::sinks
