#include "stream/record_decoder.h"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace runnel::stream {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

// Containers nested deeper than this inside an ignored field fail decoding:
// records are flat, and the bound keeps validation's recursion shallow.
constexpr int kMaxDepth = 64;
// Bytes of an offending value quoted in an error message.
constexpr size_t kMaxQuoted = 64;

// simdjson's message without its final period, so that " at byte N" reads on.
std::string simdjson_message(error_code code) {
  std::string message = simdjson::error_message(code);
  if (!message.empty() && message.back() == '.') message.pop_back();
  return message;
}

// A scalar's raw JSON token without the whitespace simdjson leaves after it.
std::string_view trimmed(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r')) {
    token.remove_suffix(1);
  }
  return token;
}

// `token` as quoted in a one-line message: at most kMaxQuoted bytes, cut on
// a UTF-8 character boundary, control bytes shown as '?'.
std::string quoted(std::string_view token) {
  token = trimmed(token);
  bool cut = false;
  if (token.size() > kMaxQuoted) {
    size_t end = kMaxQuoted;
    while (end > 0 && (static_cast<unsigned char>(token[end]) & 0xC0) == 0x80) --end;
    token = token.substr(0, end);
    cut = true;
  }
  std::string out(token);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  }
  if (cut) out += "...";
  return out;
}

// True when `text` follows JSON's number grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The canonical form in lower case, or nullopt when `text` is not
// 8-4-4-4-12 hex digits.
std::optional<std::string> canonical_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out(text);
  for (size_t i = 0; i < out.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (out[i] != '-') return std::nullopt;
    } else if (!is_hex(out[i])) {
      return std::nullopt;
    } else if (out[i] >= 'A' && out[i] <= 'F') {
      out[i] = static_cast<char>(out[i] - 'A' + 'a');
    }
  }
  return out;
}

// Microseconds since the Unix epoch for ISO 8601 text of the form
// YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|±hh:mm) ('t' and 'z' in either case), or
// the reason the text is not one.
Result<int64_t> parse_timestamp(std::string_view text) {
  const Status not_iso = invalid_argument("not YYYY-MM-DDTHH:MM:SS[.ffffff](Z|\u00B1hh:mm)");
  size_t i = 0;
  auto number = [&](size_t width, int& out) {
    if (i + width > text.size()) return false;
    out = 0;
    for (size_t end = i + width; i < end; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  auto literal = [&](char lower, char upper) {
    if (i >= text.size() || (text[i] != lower && text[i] != upper)) return false;
    ++i;
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!(number(4, year) && literal('-', '-') && number(2, month) && literal('-', '-') &&
        number(2, day) && literal('t', 'T') && number(2, hour) && literal(':', ':') &&
        number(2, minute) && literal(':', ':') && number(2, second))) {
    return not_iso;
  }
  int64_t fraction_micros = 0;
  if (literal('.', '.')) {
    const size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    const size_t length = i - start;
    if (length == 0) return not_iso;
    if (length > 6) return invalid_argument("fraction finer than microseconds");
    for (size_t k = 0; k < 6; ++k) {
      fraction_micros = fraction_micros * 10 + (k < length ? text[start + k] - '0' : 0);
    }
  }
  int offset_seconds = 0;
  if (!literal('z', 'Z')) {
    if (i >= text.size() || (text[i] != '+' && text[i] != '-')) return not_iso;
    const int sign = text[i] == '-' ? -1 : 1;
    ++i;
    int offset_hour, offset_minute;
    if (!(number(2, offset_hour) && literal(':', ':') && number(2, offset_minute))) return not_iso;
    if (offset_hour > 23 || offset_minute > 59) return invalid_argument("offset out of range");
    offset_seconds = sign * (offset_hour * 3600 + offset_minute * 60);
  }
  if (i != text.size()) return not_iso;

  using namespace std::chrono;
  if (month < 1 || month > 12) {
    return invalid_argument("month " + std::to_string(month) + " out of range");
  }
  const year_month_day date{std::chrono::year{year}, std::chrono::month(month),
                            std::chrono::day(day)};
  if (!date.ok()) {
    return invalid_argument("day " + std::to_string(day) + " out of range for " +
                            std::string(text.substr(0, 7)));
  }
  if (hour > 23) return invalid_argument("hour " + std::to_string(hour) + " out of range");
  if (minute > 59) return invalid_argument("minute " + std::to_string(minute) + " out of range");
  if (second > 59) return invalid_argument("second " + std::to_string(second) + " out of range");
  const int64_t days = sys_days(date).time_since_epoch().count();
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds * 1000000 + fraction_micros;
}

std::string_view json_type_name(od::json_type type) {
  switch (type) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "a value";
}

// One call of decode(): the document being read and the input it points
// into, for error positions. Every method returns the first problem found;
// after one, the document must not be read further.
class Decoding {
 public:
  Decoding(od::document& document, const char* input) : document_(document), input_(input) {}

  // "not valid JSON: <message> at byte N", N being the offset of `where`
  // in the input; without `where`, the document's current position. An
  // unclosed object or array is reported at the end of the input, where
  // its closing bracket is missing.
  Status json_error(error_code code, const char* where = nullptr) {
    std::string message = "not valid JSON: " + simdjson_message(code);
    if (code == simdjson::INCOMPLETE_ARRAY_OR_OBJECT ||
        (where == nullptr && document_.current_location().get(where) != simdjson::SUCCESS)) {
      return invalid_argument(message + " at end of input");
    }
    return invalid_argument(message + " at byte " + std::to_string(where - input_));
  }

  // Reads `value` into `out` as `field` says.
  Status decode_field(const SchemaField& field, od::value& value, Value& out) {
    od::json_type type;
    if (error_code error = value.type().get(type)) return json_error(error);
    const std::string_view token = value.raw_json_token();
    if (type == od::json_type::null) {
      bool null = false;
      if (value.is_null().get(null) != simdjson::SUCCESS || !null) {
        return json_error(simdjson::N_ATOM_ERROR, token.data());
      }
      if (field.required) return field_error(field, "required but null");
      out = std::monostate{};
      return Status::ok();
    }
    switch (field.type) {
      case FieldType::kText: {
        if (type != od::json_type::string) return mismatch(field, value, type, token);
        std::string_view text;
        if (error_code error = value.get_string().get(text)) return json_error(error, token.data());
        out = std::string(text);
        return Status::ok();
      }
      case FieldType::kUuid: {
        if (type != od::json_type::string) return mismatch(field, value, type, token);
        std::string_view text;
        if (error_code error = value.get_string().get(text)) return json_error(error, token.data());
        std::optional<std::string> uuid = canonical_uuid(text);
        if (!uuid) return mismatch(field, value, type, token);
        out = std::move(*uuid);
        return Status::ok();
      }
      case FieldType::kInt:
      case FieldType::kBigint: {
        Result<int64_t> integer = read_integer(field, value, type, token);
        if (!integer) return integer.status();
        if (field.type == FieldType::kInt && (*integer < std::numeric_limits<int32_t>::min() ||
                                              *integer > std::numeric_limits<int32_t>::max())) {
          return does_not_fit(field, token);
        }
        out = *integer;
        return Status::ok();
      }
      case FieldType::kDouble: {
        if (type != od::json_type::number) return mismatch(field, value, type, token);
        double real;
        if (value.get_double().get(real) != simdjson::SUCCESS) {
          if (!is_json_number(trimmed(token))) {
            return json_error(simdjson::NUMBER_ERROR, token.data());
          }
          return does_not_fit(field, token);
        }
        out = real;
        return Status::ok();
      }
      case FieldType::kBoolean: {
        if (type != od::json_type::boolean) return mismatch(field, value, type, token);
        bool flag;
        if (value.get_bool().get(flag) != simdjson::SUCCESS) return invalid_literal(token);
        out = flag;
        return Status::ok();
      }
      case FieldType::kTimestamp: return decode_timestamp(field, value, type, token, out);
    }
    return internal_error("field '" + field.name + "': unknown field type");
  }

  // Reads a value of an ignored field to its end, so that it too must be
  // valid JSON.
  Status validate(od::value& value, int depth) {
    od::json_type type;
    if (error_code error = value.type().get(type)) return json_error(error);
    const std::string_view token = value.raw_json_token();
    switch (type) {
      case od::json_type::object: {
        if (depth >= kMaxDepth) return too_deep(token);
        od::object object;
        if (error_code error = value.get_object().get(object)) return json_error(error);
        for (auto member : object) {
          od::field field;
          if (error_code error = std::move(member).get(field)) return json_error(error);
          std::string_view key;
          if (error_code error = field.unescaped_key().get(key)) return json_error(error);
          if (Status status = validate(field.value(), depth + 1); !status.is_ok()) return status;
        }
        return Status::ok();
      }
      case od::json_type::array: {
        if (depth >= kMaxDepth) return too_deep(token);
        od::array array;
        if (error_code error = value.get_array().get(array)) return json_error(error);
        for (auto element : array) {
          od::value item;
          if (error_code error = element.get(item)) return json_error(error);
          if (Status status = validate(item, depth + 1); !status.is_ok()) return status;
        }
        return Status::ok();
      }
      case od::json_type::string: {
        std::string_view text;
        if (error_code error = value.get_string().get(text)) return json_error(error, token.data());
        return Status::ok();
      }
      case od::json_type::number:
        if (!is_json_number(trimmed(token))) {
          return json_error(simdjson::NUMBER_ERROR, token.data());
        }
        return Status::ok();
      case od::json_type::boolean: {
        bool flag;
        if (value.get_bool().get(flag) != simdjson::SUCCESS) return invalid_literal(token);
        return Status::ok();
      }
      case od::json_type::null: {
        bool null = false;
        if (value.is_null().get(null) != simdjson::SUCCESS || !null) return invalid_literal(token);
        return Status::ok();
      }
    }
    return json_error(simdjson::TAPE_ERROR, token.data());
  }

 private:
  static Status field_error(const SchemaField& field, std::string reason) {
    return invalid_argument("field '" + field.name + "': " + reason);
  }

  Status invalid_literal(std::string_view token) {
    const error_code code = token.front() == 't'   ? simdjson::T_ATOM_ERROR
                            : token.front() == 'f' ? simdjson::F_ATOM_ERROR
                                                   : simdjson::N_ATOM_ERROR;
    return json_error(code, token.data());
  }

  Status too_deep(std::string_view token) {
    return invalid_argument("not valid JSON: nested deeper than " + std::to_string(kMaxDepth) +
                            " levels at byte " + std::to_string(token.data() - input_));
  }

  Status does_not_fit(const SchemaField& field, std::string_view token) {
    return field_error(field,
                       quoted(token) + " does not fit " + std::string(field_type_name(field.type)));
  }

  // "expected <type>, got <value>", once the value is known to be valid
  // JSON (a malformed literal or number is a JSON error instead).
  Status mismatch(const SchemaField& field, od::value& value, od::json_type type,
                  std::string_view token) {
    if (type == od::json_type::boolean) {
      bool flag;
      if (value.get_bool().get(flag) != simdjson::SUCCESS) return invalid_literal(token);
    }
    if (type == od::json_type::number && !is_json_number(trimmed(token))) {
      return json_error(simdjson::NUMBER_ERROR, token.data());
    }
    const bool container = type == od::json_type::object || type == od::json_type::array;
    return field_error(field, "expected " + std::string(field_type_name(field.type)) + ", got " +
                                  (container ? std::string(json_type_name(type)) : quoted(token)));
  }

  // A JSON integer that fits 64 bits.
  Result<int64_t> read_integer(const SchemaField& field, od::value& value, od::json_type type,
                               std::string_view token) {
    if (type != od::json_type::number) return mismatch(field, value, type, token);
    od::number_type kind;
    if (error_code error = value.get_number_type().get(kind)) {
      return json_error(error, token.data());
    }
    if (!is_json_number(trimmed(token))) return json_error(simdjson::NUMBER_ERROR, token.data());
    if (kind == od::number_type::floating_point_number) {
      return mismatch(field, value, type, token);
    }
    int64_t integer;
    if (kind != od::number_type::signed_integer ||
        value.get_int64().get(integer) != simdjson::SUCCESS) {
      return does_not_fit(field, token);
    }
    return integer;
  }

  // An ISO 8601 string, or an integer of epoch milliseconds.
  Status decode_timestamp(const SchemaField& field, od::value& value, od::json_type type,
                          std::string_view token, Value& out) {
    if (type == od::json_type::string) {
      std::string_view text;
      if (error_code error = value.get_string().get(text)) return json_error(error, token.data());
      Result<int64_t> micros = parse_timestamp(text);
      if (!micros) {
        return field_error(field, "expected timestamp, got " + quoted(token) + " (" +
                                      micros.status().message() + ")");
      }
      out = *micros;
      return Status::ok();
    }
    Result<int64_t> millis = read_integer(field, value, type, token);
    if (!millis) return millis.status();
    constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1000;
    if (*millis > kLimit || *millis < -kLimit) {
      return field_error(field, quoted(token) + " epoch milliseconds does not fit timestamp");
    }
    out = *millis * 1000;
    return Status::ok();
  }

  od::document& document_;
  const char* input_;
};

}  // namespace

struct RecordDecoder::State {
  explicit State(Schema decoded_schema) : schema(std::move(decoded_schema)) {}

  Result<Row> decode(std::string_view json);
  // The schema index of the field called `name`, trying `guess` first:
  // producers usually write fields in schema order.
  std::optional<size_t> find_field(std::string_view name, size_t guess) const;

  Schema schema;
  od::parser parser;
  // A copy of the input followed by the zero padding simdjson reads past
  // the end; grows to the largest input seen.
  std::unique_ptr<char[]> input;
  size_t input_capacity = 0;
  std::vector<bool> seen;  // per schema field, during one decode()
};

std::optional<size_t> RecordDecoder::State::find_field(std::string_view name, size_t guess) const {
  const std::vector<SchemaField>& fields = schema.fields;
  if (guess < fields.size() && fields[guess].name == name) return guess;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return i;
  }
  return std::nullopt;
}

Result<Row> RecordDecoder::State::decode(std::string_view json) {
  if (json.empty()) return invalid_argument("not valid JSON: empty input");
  const size_t capacity = json.size() + simdjson::SIMDJSON_PADDING;
  if (capacity > input_capacity) {
    input = std::make_unique<char[]>(capacity);
    input_capacity = capacity;
  }
  std::memcpy(input.get(), json.data(), json.size());
  std::memset(input.get() + json.size(), 0, simdjson::SIMDJSON_PADDING);

  od::document document;
  if (error_code error = parser.iterate(input.get(), json.size(), input_capacity).get(document)) {
    return invalid_argument("not valid JSON: " + simdjson_message(error));
  }
  Decoding decoding(document, input.get());
  od::json_type type;
  if (error_code error = document.type().get(type)) return decoding.json_error(error);
  if (type != od::json_type::object) {
    return invalid_argument("not a JSON object: got " + std::string(json_type_name(type)));
  }
  od::object object;
  if (error_code error = document.get_object().get(object)) return decoding.json_error(error);

  Row row;
  row.values.resize(schema.fields.size());
  seen.assign(schema.fields.size(), false);
  size_t guess = 0;
  for (auto member : object) {
    od::field field;
    if (error_code error = std::move(member).get(field)) return decoding.json_error(error);
    std::string_view key;
    if (error_code error = field.unescaped_key().get(key)) return decoding.json_error(error);
    const std::optional<size_t> index = find_field(key, guess);
    if (!index) {
      if (Status status = decoding.validate(field.value(), 1); !status.is_ok()) return status;
      continue;
    }
    const SchemaField& schema_field = schema.fields[*index];
    if (seen[*index]) {
      return invalid_argument("field '" + schema_field.name + "': appears more than once");
    }
    seen[*index] = true;
    guess = *index + 1;
    if (Status status = decoding.decode_field(schema_field, field.value(), row.values[*index]);
        !status.is_ok()) {
      return status;
    }
  }
  const char* trailing;
  if (document.current_location().get(trailing) == simdjson::SUCCESS) {
    return invalid_argument("not valid JSON: trailing content after the object at byte " +
                            std::to_string(trailing - input.get()));
  }
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    if (!seen[i] && schema.fields[i].required) {
      return invalid_argument("field '" + schema.fields[i].name + "': required but missing");
    }
  }
  return row;
}

RecordDecoder::RecordDecoder(Schema schema) : state_(std::make_unique<State>(std::move(schema))) {}
RecordDecoder::RecordDecoder(RecordDecoder&&) noexcept = default;
RecordDecoder& RecordDecoder::operator=(RecordDecoder&&) noexcept = default;
RecordDecoder::~RecordDecoder() = default;

Result<Row> RecordDecoder::decode(std::string_view json) { return state_->decode(json); }

const Schema& RecordDecoder::schema() const { return state_->schema; }

}  // namespace runnel::stream
