#include "sinks/console_sink.h"

#include <algorithm>
#include <charconv>
#include <variant>
#include <vector>

#include "sinks/row_json.h"

namespace runnel::sinks {
namespace {

constexpr size_t kTruncateAt = 20;  // Spark's show() default
constexpr size_t kMinimumWidth = 3;

// Characters (code points) in UTF-8 text; what a terminal column count
// roughly follows.
size_t display_width(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// The first `characters` code points of `text`.
std::string_view prefix(std::string_view text, size_t characters) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((text[i] & 0xC0) != 0x80 && seen++ == characters) return text.substr(0, i);
  }
  return text;
}

std::string cell_text(stream::FieldType type, const stream::Value& value) {
  if (std::holds_alternative<std::monostate>(value)) return "null";
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* number = std::get_if<int64_t>(&value)) {
    return type == stream::FieldType::kTimestamp ? format_timestamp(*number)
                                                 : std::to_string(*number);
  }
  if (const auto* real = std::get_if<double>(&value)) {
    char digits[32];
    auto [end, error] = std::to_chars(digits, digits + sizeof digits, *real);
    return std::string(digits, end);
  }
  return std::get<bool>(value) ? "true" : "false";
}

std::string truncated(std::string text) {
  if (display_width(text) <= kTruncateAt) return text;
  return std::string(prefix(text, kTruncateAt - 3)) + "...";
}

void append_padded(std::string_view text, size_t width, bool right_align, std::string& out) {
  size_t padding = width - std::min(width, display_width(text));
  if (right_align) out.append(padding, ' ');
  out += text;
  if (!right_align) out.append(padding, ' ');
}

}  // namespace

ConsoleSink::ConsoleSink(ConsoleSinkConfig config, std::ostream& out)
    : config_(config), out_(out) {}

Result<std::vector<stream::SourceOffset>> ConsoleSink::open(const stream::Schema& schema,
                                                            const std::string&) {
  schema_ = schema;
  return std::vector<stream::SourceOffset>{};
}

Status ConsoleSink::write(const stream::Batch& batch) {
  std::string text =
      "-------------------------------------------\nBatch: " + std::to_string(batch.id) +
      "\n-------------------------------------------\n";
  if (config_.format == ConsoleFormat::kTable) {
    append_table(batch, text);
  } else {
    append_json_lines(batch, text);
  }
  if (batch.rows.size() > config_.max_rows) {
    text += "only showing top " + std::to_string(config_.max_rows) + " row" +
            (config_.max_rows == 1 ? "" : "s") + "\n";
  }
  text += '\n';
  out_ << text << std::flush;
  if (!out_) return internal_error("console: cannot write batch " + std::to_string(batch.id));
  return Status::ok();
}

void ConsoleSink::append_table(const stream::Batch& batch, std::string& out) const {
  size_t shown = std::min(batch.rows.size(), config_.max_rows);
  size_t columns = schema_.fields.size();
  // cells[0] is the header.
  std::vector<std::vector<std::string>> cells(shown + 1);
  for (const stream::SchemaField& field : schema_.fields) cells[0].push_back(field.name);
  for (size_t r = 0; r < shown; ++r) {
    for (size_t c = 0; c < columns; ++c) {
      std::string text = cell_text(schema_.fields[c].type, batch.rows[r].values[c]);
      cells[r + 1].push_back(config_.truncate ? truncated(std::move(text)) : std::move(text));
    }
  }
  std::vector<size_t> widths(columns, kMinimumWidth);
  for (const auto& row : cells) {
    for (size_t c = 0; c < columns; ++c) widths[c] = std::max(widths[c], display_width(row[c]));
  }
  std::string separator = "+";
  for (size_t width : widths) separator += std::string(width, '-') + "+";
  separator += '\n';

  out += separator;
  for (size_t r = 0; r < cells.size(); ++r) {
    out += '|';
    for (size_t c = 0; c < columns; ++c) {
      append_padded(cells[r][c], widths[c], config_.truncate, out);
      out += '|';
    }
    out += '\n';
    if (r == 0) out += separator;
  }
  out += separator;
}

void ConsoleSink::append_json_lines(const stream::Batch& batch, std::string& out) const {
  size_t shown = std::min(batch.rows.size(), config_.max_rows);
  for (size_t r = 0; r < shown; ++r) {
    append_row_json(schema_, batch.rows[r], out);
    out += '\n';
  }
}

}  // namespace runnel::sinks
