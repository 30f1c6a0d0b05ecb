#include "sinks/row_json.h"

#include <cstdio>
#include <ctime>
#include <variant>

#include "common/json_writer.h"

namespace runnel::sinks {

std::string format_timestamp(int64_t micros) {
  int64_t seconds = micros / 1'000'000;
  int64_t fraction = micros % 1'000'000;
  if (fraction < 0) {
    fraction += 1'000'000;
    seconds -= 1;
  }
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<long long>(fraction));
  return text;
}

void append_row_json(const stream::Schema& schema, const stream::Row& row, std::string& out) {
  JsonWriter writer(out);
  writer.begin_object();
  for (size_t i = 0; i < schema.fields.size() && i < row.values.size(); ++i) {
    const stream::SchemaField& field = schema.fields[i];
    writer.key(field.name);
    const stream::Value& value = row.values[i];
    if (std::holds_alternative<std::monostate>(value)) {
      writer.null();
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      writer.string(*text);
    } else if (const auto* number = std::get_if<int64_t>(&value)) {
      if (field.type == stream::FieldType::kTimestamp) {
        writer.string(format_timestamp(*number));
      } else {
        writer.number(*number);
      }
    } else if (const auto* real = std::get_if<double>(&value)) {
      writer.real(*real);
    } else {
      writer.boolean(std::get<bool>(value));
    }
  }
  writer.end_object();
}

}  // namespace runnel::sinks
