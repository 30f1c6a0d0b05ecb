#include "sinks/copy_text.h"

#include <charconv>
#include <cmath>
#include <variant>

#include "sinks/row_json.h"

namespace runnel::sinks {
namespace {

template <typename Number>
void append_number(Number number, std::string& out) {
  char digits[32];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, number);
  out.append(digits, end);
}

void append_double(double number, std::string& out) {
  if (std::isnan(number)) {
    out += "NaN";
  } else if (std::isinf(number)) {
    out += number > 0 ? "Infinity" : "-Infinity";
  } else {
    append_number(number, out);
  }
}

void append_value(stream::FieldType type, const stream::Value& value, std::string& out) {
  if (std::holds_alternative<std::monostate>(value)) {
    out += "\\N";
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    append_copy_text(*text, out);
  } else {
    append_text_form(type, value, out);  // nothing in it needs escaping
  }
}

}  // namespace

void append_text_form(stream::FieldType type, const stream::Value& value, std::string& out) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    out += *text;
  } else if (const auto* number = std::get_if<int64_t>(&value)) {
    if (type == stream::FieldType::kTimestamp) {
      out += format_timestamp(*number);
    } else {
      append_number(*number, out);
    }
  } else if (const auto* real = std::get_if<double>(&value)) {
    append_double(*real, out);
  } else if (const auto* boolean = std::get_if<bool>(&value)) {
    out += *boolean ? 't' : 'f';
  }
}

void append_copy_text(std::string_view text, std::string& out) {
  size_t plain_from = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char escape;
    switch (text[i]) {
      case '\\':
        escape = '\\';
        break;
      case '\t':
        escape = 't';
        break;
      case '\n':
        escape = 'n';
        break;
      case '\r':
        escape = 'r';
        break;
      default:
        continue;
    }
    out.append(text.data() + plain_from, i - plain_from);
    out += '\\';
    out += escape;
    plain_from = i + 1;
  }
  out.append(text.data() + plain_from, text.size() - plain_from);
}

void append_copy_row(const stream::Schema& schema, int64_t ordinal, const stream::Row& row,
                     std::string& out) {
  append_number(ordinal, out);
  out += '\t';
  append_copy_row(schema, row, out);
}

void append_copy_row(const stream::Schema& schema, const stream::Row& row, std::string& out) {
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    if (i > 0) out += '\t';
    append_value(schema.fields[i].type, row.values[i], out);
  }
  out += '\n';
}

}  // namespace runnel::sinks
