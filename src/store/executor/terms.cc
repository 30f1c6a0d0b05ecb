#include "store/executor/terms.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>

#include "cql/calendar.h"
#include "cql/value.h"
#include "cql/varint.h"
#include "store/executor/request_error.h"

namespace runnel::store::executor {
namespace {

using runnel::cql::DataType;
using runnel::cql::TypeKind;
using Kind = cql3::Term::Kind;

std::string_view kind_word(Kind kind) {
  switch (kind) {
    case Kind::kString:
      return "STRING";
    case Kind::kInteger:
      return "INTEGER";
    case Kind::kFloat:
      return "FLOAT";
    case Kind::kBoolean:
      return "BOOLEAN";
    case Kind::kUuid:
      return "UUID";
    case Kind::kHex:
      return "HEX";
    default:
      return "literal";
  }
}

[[noreturn]] void invalid_constant(const cql3::Term& term, const DataType& type,
                                   const std::string& receiver) {
  std::string shown = term.kind == Kind::kHex ? "0x" + term.text : term.text;
  throw_invalid("Invalid " + std::string(kind_word(term.kind)) + " constant (" + shown +
                ") for \"" + receiver + "\" of type " + type.cql_name());
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

std::int64_t integer_in_range(const cql3::Term& term, const DataType& type, std::int64_t min,
                              std::int64_t max) {
  std::int64_t value = 0;
  bool parsed = parse_number(term.text, value);
  if (!parsed || value < min || value > max) {
    std::string_view java_type = type.kind == TypeKind::kInt        ? "int"
                                 : type.kind == TypeKind::kSmallint ? "short"
                                 : type.kind == TypeKind::kTinyint  ? "byte"
                                                                    : "long";
    throw_invalid("Unable to make " + std::string(java_type) + " from '" + term.text + "'");
  }
  return value;
}

// "2024-01-31", "2024-01-31 12:30", "2024-01-31T12:30:45.123Z",
// "2024-01-31 12:30:45+0100": milliseconds since the epoch.
std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  std::size_t pos = 0;
  auto digits = [&](std::size_t count, unsigned& out) {
    if (pos + count > text.size()) return false;
    out = 0;
    for (std::size_t i = 0; i < count; ++i) {
      char c = text[pos + i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + static_cast<unsigned>(c - '0');
    }
    pos += count;
    return true;
  };
  auto accept = [&](char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  };
  if (!digits(4, year) || !accept('-') || !digits(2, month) || !accept('-') || !digits(2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  std::int64_t offset_minutes = 0;
  if (accept(' ') || accept('T')) {
    if (!digits(2, hour) || !accept(':') || !digits(2, minute)) return std::nullopt;
    if (accept(':')) {
      if (!digits(2, second)) return std::nullopt;
      if (accept('.')) {
        std::size_t start = pos;
        unsigned fraction = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          if (pos - start < 3) fraction = fraction * 10 + static_cast<unsigned>(text[pos] - '0');
          ++pos;
        }
        if (pos == start) return std::nullopt;
        for (std::size_t n = pos - start; n < 3; ++n) fraction *= 10;
        millis = fraction;
      }
    }
  }
  accept(' ');
  if (accept('Z')) {
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    unsigned hours = 0, minutes = 0;
    if (!digits(2, hours)) return std::nullopt;
    accept(':');
    if (!digits(2, minutes)) return std::nullopt;
    offset_minutes = sign * static_cast<std::int64_t>(hours * 60 + minutes);
  }
  if (pos != text.size() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  std::int64_t days = runnel::cql::days_from_civil(year, month, day);
  return ((days * 24 + hour) * 60 + minute - offset_minutes) * 60000 + second * 1000 + millis;
}

std::optional<std::int64_t> parse_date(std::string_view text) {
  unsigned year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!parse_number(text.substr(0, 4), year) || !parse_number(text.substr(5, 2), month) ||
      !parse_number(text.substr(8, 2), day) || month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  return runnel::cql::days_from_civil(year, month, day);
}

// "12:34:56.123456789" -> nanoseconds since midnight.
std::optional<std::int64_t> parse_time(std::string_view text) {
  unsigned hour = 0, minute = 0, second = 0;
  if (text.size() < 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
  if (!parse_number(text.substr(0, 2), hour) || !parse_number(text.substr(3, 2), minute) ||
      !parse_number(text.substr(6, 2), second) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  std::int64_t nanos = 0;
  if (text.size() > 8) {
    if (text[8] != '.' || text.size() > 18 || text.size() == 9) return std::nullopt;
    std::string fraction(text.substr(9));
    fraction.resize(9, '0');
    if (!parse_number(fraction, nanos)) return std::nullopt;
  }
  return ((hour * 60 + minute) * 60 + second) * 1000000000LL + nanos;
}

std::string hex_bytes(const cql3::Term& term, const DataType& type, const std::string& receiver) {
  if (term.text.size() % 2 != 0) invalid_constant(term, type, receiver);
  std::string bytes;
  for (std::size_t i = 0; i < term.text.size(); i += 2) {
    unsigned value = 0;
    std::from_chars(term.text.data() + i, term.text.data() + i + 2, value, 16);
    bytes.push_back(static_cast<char>(value));
  }
  return bytes;
}

std::string time_uuid(std::int64_t micros) {
  // 100 ns intervals since 1582-10-15, plus a random clock sequence and node.
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uint64_t timestamp = static_cast<std::uint64_t>(micros) * 10 + 0x01B21DD213814000ULL;
  std::string bytes(16, '\0');
  auto put = [&](int at, std::uint64_t value, int count) {
    for (int i = 0; i < count; ++i)
      bytes[at + i] = static_cast<char>(value >> (8 * (count - 1 - i)));
  };
  put(0, timestamp & 0xffffffff, 4);
  put(4, (timestamp >> 32) & 0xffff, 2);
  put(6, ((timestamp >> 48) & 0x0fff) | 0x1000, 2);
  std::uint64_t rest = generator();
  put(8, (rest & 0x3fffffffffffffffULL) | 0x8000000000000000ULL, 8);
  return bytes;
}

std::string random_uuid_bytes() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  std::string bytes(16, '\0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = generator();
    for (int i = 0; i < 8; ++i) bytes[half * 8 + i] = static_cast<char>(bits >> (8 * i));
  }
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  return bytes;
}

std::string function_value(const cql3::Term& term, const DataType& type,
                           const std::string& receiver, const std::vector<BoundValue>& values) {
  std::int64_t micros = next_timestamp_micros();
  const std::string& name = term.text;
  auto require = [&](TypeKind kind, std::string bytes) {
    if (type.kind != kind && !(kind == TypeKind::kTimeuuid && type.kind == TypeKind::kUuid)) {
      throw_invalid("Type error: cannot assign result of function " + name + " (type " +
                    DataType::of(kind).cql_name() + ") to " + receiver + " (type " +
                    type.cql_name() + ")");
    }
    return bytes;
  };
  if ((name == "now" || name == "currenttimeuuid") && term.elements.empty()) {
    return require(TypeKind::kTimeuuid, time_uuid(micros));
  }
  if (name == "uuid" && term.elements.empty()) return require(TypeKind::kUuid, random_uuid_bytes());
  if (name == "currenttimestamp" && term.elements.empty()) {
    return require(TypeKind::kTimestamp, runnel::cql::encode_timestamp(micros / 1000));
  }
  if (name == "currentdate" && term.elements.empty()) {
    return require(TypeKind::kDate,
                   runnel::cql::encode_date(static_cast<std::int32_t>(micros / 86400000000LL)));
  }
  if ((name == "totimestamp" || name == "todate" || name == "tounixtimestamp") &&
      term.elements.size() == 1) {
    auto argument = evaluate(term.elements[0], DataType::of(TypeKind::kTimeuuid), receiver, values);
    if (!argument.is_set() || argument.bytes.size() != 16)
      throw_invalid("Invalid argument to " + name);
    const std::string& b = argument.bytes;
    auto byte = [&](int i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(b[i])); };
    std::uint64_t uuid_time = ((byte(6) & 0x0f) << 56) | (byte(7) << 48) | (byte(4) << 40) |
                              (byte(5) << 32) | (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) |
                              byte(3);
    auto millis = static_cast<std::int64_t>((uuid_time - 0x01B21DD213814000ULL) / 10000);
    if (name == "totimestamp")
      return require(TypeKind::kTimestamp, runnel::cql::encode_timestamp(millis));
    if (name == "tounixtimestamp")
      return require(TypeKind::kBigint, runnel::cql::encode_bigint(millis));
    return require(TypeKind::kDate,
                   runnel::cql::encode_date(static_cast<std::int32_t>(millis / 86400000)));
  }
  throw_invalid("Unknown function " + name + " called");
}

std::string literal(const cql3::Term& term, const DataType& type, const std::string& receiver,
                    const std::vector<BoundValue>& values);

// A set's elements (a map's entries) sorted by key without duplicates, as
// Cassandra stores them whatever order a client sent.
std::string sorted_collection(const DataType& type, std::string_view bytes) {
  bool is_map = type.kind == TypeKind::kMap;
  auto elements = runnel::cql::decode_collection(bytes, is_map);
  if (!elements) return std::string(bytes);
  std::vector<std::pair<std::string_view, std::string_view>> entries;
  for (std::size_t i = 0; i < elements->size(); i += is_map ? 2 : 1) {
    entries.emplace_back((*elements)[i], is_map ? (*elements)[i + 1] : std::string_view());
  }
  const DataType& key = type.parameters[0];
  std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
    return runnel::cql::compare(key, a.first, b.first) < 0;
  });
  std::vector<std::string> flat;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i + 1 < entries.size() &&
        runnel::cql::compare(key, entries[i].first, entries[i + 1].first) == 0) {
      continue;  // the later duplicate wins
    }
    flat.emplace_back(entries[i].first);
    if (is_map) flat.emplace_back(entries[i].second);
  }
  return runnel::cql::encode_collection(flat, is_map);
}

// A collection literal's elements, each evaluated against `element`.
// How a literal looks in Cassandra's messages: strings quoted.
std::string written(const cql3::Term& term) {
  if (term.kind == Kind::kString) return "'" + term.text + "'";
  if (term.kind == Kind::kHex) return "0x" + term.text;
  return term.text;
}

// A collection literal's elements, each evaluated against its type
// (`value` for a map's values).
std::vector<std::string> elements(const cql3::Term& term, const DataType& key,
                                  const DataType* value, const std::string& receiver,
                                  const std::vector<BoundValue>& values) {
  std::string literal_kind = term.kind == Kind::kList  ? "list"
                             : term.kind == Kind::kMap ? "map"
                                                       : "set";
  std::vector<std::string> out;
  for (std::size_t i = 0; i < term.elements.size(); ++i) {
    bool is_value = value != nullptr && i % 2 == 1;
    const DataType& type = is_value ? *value : key;
    TermValue element;
    try {
      element = evaluate(term.elements[i], type, receiver, values);
    } catch (const RequestError&) {
      std::string role = value == nullptr ? "value" : (is_value ? "value" : "key");
      throw_invalid("Invalid " + literal_kind + " literal for " + receiver + ": " + role + " " +
                    written(term.elements[i]) + " is not of type " + type.cql_name());
    }
    if (!element.is_set()) throw_invalid("null is not supported inside collections");
    out.push_back(std::move(element.bytes));
  }
  return out;
}

std::string collection(const cql3::Term& term, const DataType& type, const std::string& receiver,
                       const std::vector<BoundValue>& values) {
  auto mismatch = [&]() -> std::string {
    throw_invalid("Invalid " +
                  std::string(term.kind == Kind::kList  ? "list"
                              : term.kind == Kind::kMap ? "map"
                                                        : "set") +
                  " literal for " + receiver + " of type " + type.cql_name());
  };
  if (type.kind == TypeKind::kList) {
    if (term.kind != Kind::kList) return mismatch();
    return runnel::cql::encode_collection(
        elements(term, type.parameters[0], nullptr, receiver, values), false);
  }
  if (type.kind == TypeKind::kSet) {
    if (term.kind != Kind::kSet) return mismatch();
    auto items = elements(term, type.parameters[0], nullptr, receiver, values);
    std::sort(items.begin(), items.end(), [&](const std::string& a, const std::string& b) {
      return runnel::cql::compare(type.parameters[0], a, b) < 0;
    });
    items.erase(std::unique(items.begin(), items.end(),
                            [&](const std::string& a, const std::string& b) {
                              return runnel::cql::compare(type.parameters[0], a, b) == 0;
                            }),
                items.end());
    return runnel::cql::encode_collection(items, false);
  }
  if (type.kind == TypeKind::kMap) {
    if (term.kind != Kind::kMap && !(term.kind == Kind::kSet && term.elements.empty()))
      return mismatch();
    auto items = elements(term, type.parameters[0], &type.parameters[1], receiver, values);
    std::vector<std::pair<std::string, std::string>> entries;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2)
      entries.emplace_back(items[i], items[i + 1]);
    std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
      return runnel::cql::compare(type.parameters[0], a.first, b.first) < 0;
    });
    std::vector<std::string> flat;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      // A later duplicate key wins.
      if (i + 1 < entries.size() &&
          runnel::cql::compare(type.parameters[0], entries[i].first, entries[i + 1].first) == 0) {
        continue;
      }
      flat.push_back(entries[i].first);
      flat.push_back(entries[i].second);
    }
    return runnel::cql::encode_collection(flat, true);
  }
  return mismatch();
}

std::string literal(const cql3::Term& term, const DataType& type, const std::string& receiver,
                    const std::vector<BoundValue>& values) {
  switch (term.kind) {
    case Kind::kList:
    case Kind::kSet:
    case Kind::kMap:
      return collection(term, type, receiver, values);
    case Kind::kFunction:
      return function_value(term, type, receiver, values);
    default:
      break;
  }
  const std::string& text = term.text;
  switch (type.kind) {
    case TypeKind::kAscii:
    case TypeKind::kVarchar:
      if (term.kind != Kind::kString) invalid_constant(term, type, receiver);
      if (type.kind == TypeKind::kAscii && std::any_of(text.begin(), text.end(), [](char c) {
            return static_cast<unsigned char>(c) > 127;
          })) {
        throw_invalid("Invalid ASCII character in string literal");
      }
      return text;
    case TypeKind::kBlob:
      if (term.kind != Kind::kHex) invalid_constant(term, type, receiver);
      return hex_bytes(term, type, receiver);
    case TypeKind::kBoolean:
      if (term.kind != Kind::kBoolean) invalid_constant(term, type, receiver);
      return runnel::cql::encode_boolean(text == "true");
    case TypeKind::kInt:
      if (term.kind != Kind::kInteger) invalid_constant(term, type, receiver);
      return runnel::cql::encode_int(
          static_cast<std::int32_t>(integer_in_range(term, type, INT32_MIN, INT32_MAX)));
    case TypeKind::kBigint:
    case TypeKind::kCounter:
      if (term.kind != Kind::kInteger) invalid_constant(term, type, receiver);
      return runnel::cql::encode_bigint(integer_in_range(term, type, INT64_MIN, INT64_MAX));
    case TypeKind::kSmallint:
      if (term.kind != Kind::kInteger) invalid_constant(term, type, receiver);
      return runnel::cql::encode_smallint(
          static_cast<std::int16_t>(integer_in_range(term, type, INT16_MIN, INT16_MAX)));
    case TypeKind::kTinyint:
      if (term.kind != Kind::kInteger) invalid_constant(term, type, receiver);
      return runnel::cql::encode_tinyint(
          static_cast<std::int8_t>(integer_in_range(term, type, INT8_MIN, INT8_MAX)));
    case TypeKind::kVarint: {
      if (term.kind != Kind::kInteger) invalid_constant(term, type, receiver);
      auto bytes = runnel::cql::encode_varint(text);
      if (!bytes) invalid_constant(term, type, receiver);
      return *bytes;
    }
    case TypeKind::kDecimal: {
      if (term.kind != Kind::kInteger && term.kind != Kind::kFloat)
        invalid_constant(term, type, receiver);
      auto bytes = runnel::cql::encode_decimal(text);
      if (!bytes) invalid_constant(term, type, receiver);
      return *bytes;
    }
    case TypeKind::kDouble:
    case TypeKind::kFloat: {
      if (term.kind != Kind::kInteger && term.kind != Kind::kFloat)
        invalid_constant(term, type, receiver);
      double value = 0;
      if (text == "nan") {
        value = std::numeric_limits<double>::quiet_NaN();
      } else if (text == "infinity" || text == "-infinity") {
        value = text[0] == '-' ? -INFINITY : INFINITY;
      } else if (!parse_number(text, value)) {
        invalid_constant(term, type, receiver);
      }
      return type.kind == TypeKind::kDouble ? runnel::cql::encode_double(value)
                                            : runnel::cql::encode_float(static_cast<float>(value));
    }
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid: {
      if (term.kind != Kind::kUuid) invalid_constant(term, type, receiver);
      auto bytes = runnel::cql::encode_uuid(text);
      if (!bytes) invalid_constant(term, type, receiver);
      if (type.kind == TypeKind::kTimeuuid && (static_cast<unsigned char>((*bytes)[6]) >> 4) != 1) {
        throw_invalid("TimeUUID supports only version 1 UUIDs");
      }
      return *bytes;
    }
    case TypeKind::kTimestamp: {
      if (term.kind == Kind::kInteger) {
        return runnel::cql::encode_timestamp(integer_in_range(term, type, INT64_MIN, INT64_MAX));
      }
      if (term.kind != Kind::kString) invalid_constant(term, type, receiver);
      std::int64_t millis = 0;
      if (parse_number(text, millis)) return runnel::cql::encode_timestamp(millis);
      auto parsed = parse_timestamp(text);
      if (!parsed) throw_invalid("Unable to coerce '" + text + "' to a formatted date (long)");
      return runnel::cql::encode_timestamp(*parsed);
    }
    case TypeKind::kDate: {
      if (term.kind == Kind::kInteger) {
        auto raw = integer_in_range(term, type, 0, UINT32_MAX);
        return runnel::cql::encode_date(static_cast<std::int32_t>(raw - 0x80000000LL));
      }
      if (term.kind != Kind::kString) invalid_constant(term, type, receiver);
      auto days = parse_date(text);
      if (!days) throw_invalid("Unable to coerce '" + text + "' to a formatted date (long)");
      return runnel::cql::encode_date(static_cast<std::int32_t>(*days));
    }
    case TypeKind::kTime: {
      if (term.kind == Kind::kInteger) {
        return runnel::cql::encode_bigint(integer_in_range(term, type, 0, 86399999999999LL));
      }
      if (term.kind != Kind::kString) invalid_constant(term, type, receiver);
      auto nanos = parse_time(text);
      if (!nanos) throw_invalid("Unable to coerce '" + text + "' to a formatted time (long)");
      return runnel::cql::encode_bigint(*nanos);
    }
    case TypeKind::kInet: {
      if (term.kind != Kind::kString) invalid_constant(term, type, receiver);
      auto bytes = runnel::cql::encode_inet(text);
      if (!bytes) throw_invalid("Unable to make inet address from '" + text + "'");
      return *bytes;
    }
    default:
      invalid_constant(term, type, receiver);
  }
}

}  // namespace

TermValue evaluate(const cql3::Term& term, const DataType& type, const std::string& receiver,
                   const std::vector<BoundValue>& values) {
  if (term.kind == Kind::kNull) return TermValue{};
  if (term.kind == Kind::kBindMarker) {
    if (term.marker < 0 || static_cast<std::size_t>(term.marker) >= values.size()) {
      throw_bind_count(static_cast<std::size_t>(term.marker) + 1, values.size());
    }
    const BoundValue& bound = values[static_cast<std::size_t>(term.marker)];
    if (bound.state != BoundValue::State::kSet) return TermValue{bound.state, {}};
    if (auto status = runnel::cql::validate(type, bound.bytes); !status.is_ok()) {
      throw_invalid(status.message());
    }
    if (type.kind == TypeKind::kSet || type.kind == TypeKind::kMap) {
      return TermValue{BoundValue::State::kSet, sorted_collection(type, bound.bytes)};
    }
    return TermValue{BoundValue::State::kSet, bound.bytes};
  }
  return TermValue{BoundValue::State::kSet, literal(term, type, receiver, values)};
}

std::int64_t next_timestamp_micros() {
  static std::atomic<std::int64_t> last{0};
  std::int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  std::int64_t previous = last.load(std::memory_order_relaxed);
  while (true) {
    std::int64_t next = std::max(now, previous + 1);
    if (last.compare_exchange_weak(previous, next, std::memory_order_relaxed)) return next;
  }
}

}  // namespace runnel::store::executor
