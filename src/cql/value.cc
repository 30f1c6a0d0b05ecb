#include "cql/value.h"

#include <arpa/inet.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include "cql/calendar.h"
#include "cql/varint.h"

namespace runnel::cql {
namespace {

template <typename T>
std::string encode_big_endian(T value) {
  using Unsigned = std::make_unsigned_t<T>;
  auto bits = static_cast<Unsigned>(value);
  std::string bytes(sizeof(T), '\0');
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    bytes[sizeof(T) - 1 - i] = static_cast<char>(bits & 0xff);
    bits = static_cast<Unsigned>(bits >> 8);
  }
  return bytes;
}

template <typename T>
T decode_big_endian(std::string_view bytes) {
  using Unsigned = std::make_unsigned_t<T>;
  Unsigned bits = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    bits = static_cast<Unsigned>((bits << 8) | static_cast<unsigned char>(bytes[i]));
  }
  return static_cast<T>(bits);
}

int compare_bytes(std::string_view a, std::string_view b) {
  int c = a.compare(b);  // char_traits<char> compares as unsigned char
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

template <typename T>
int three_way(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra;
    std::uint32_t code;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      extra = 1;
      code = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
      code = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if ((extra == 1 && code < 0x80) || (extra == 2 && code < 0x800) ||
        (extra == 3 && (code < 0x10000 || code > 0x10ffff)) || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

// The elements of a serialized collection: [int n] then n [int len][bytes]
// (2n of them for a map). Nullopt when the framing is broken.
std::optional<std::vector<std::string_view>> split_collection(std::string_view bytes, bool is_map) {
  if (bytes.size() < 4) return std::nullopt;
  std::int32_t count = decode_int(bytes);
  bytes.remove_prefix(4);
  if (count < 0) return std::nullopt;
  std::int64_t items = static_cast<std::int64_t>(count) * (is_map ? 2 : 1);
  if (items > static_cast<std::int64_t>(bytes.size()) / 4) return std::nullopt;
  std::vector<std::string_view> elements;
  elements.reserve(static_cast<std::size_t>(items));
  for (std::int64_t i = 0; i < items; ++i) {
    if (bytes.size() < 4) return std::nullopt;
    std::int32_t length = decode_int(bytes);
    bytes.remove_prefix(4);
    if (length < 0 || static_cast<std::size_t>(length) > bytes.size()) return std::nullopt;
    elements.push_back(bytes.substr(0, static_cast<std::size_t>(length)));
    bytes.remove_prefix(static_cast<std::size_t>(length));
  }
  if (!bytes.empty()) return std::nullopt;
  return elements;
}

int uuid_version(std::string_view bytes) { return static_cast<unsigned char>(bytes[6]) >> 4; }

// The 60-bit timestamp of a version-1 uuid.
std::uint64_t uuid_timestamp(std::string_view bytes) {
  auto b = [&](int i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])); };
  return ((b(6) & 0x0f) << 56) | (b(7) << 48) | (b(4) << 40) | (b(5) << 32) | (b(0) << 24) |
         (b(1) << 16) | (b(2) << 8) | b(3);
}

std::string two_digits(unsigned value) {
  char buffer[3];
  std::snprintf(buffer, sizeof buffer, "%02u", value % 100);
  return buffer;
}

std::string quote_text(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  out.push_back('\'');
  return out;
}

// An element inside a collection: text quoted, as cqlsh shows it.
std::string format_element(const DataType& type, std::string_view bytes) {
  switch (type.kind) {
    case TypeKind::kAscii:
    case TypeKind::kVarchar:
    case TypeKind::kInet:
    case TypeKind::kTimestamp:
    case TypeKind::kDate:
    case TypeKind::kTime:
      return quote_text(format(type, bytes));
    default:
      return format(type, bytes);
  }
}

template <typename T>
std::string shortest(T value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace

std::string encode_int(std::int32_t value) { return encode_big_endian(value); }
std::string encode_bigint(std::int64_t value) { return encode_big_endian(value); }
std::string encode_smallint(std::int16_t value) { return encode_big_endian(value); }
std::string encode_tinyint(std::int8_t value) { return encode_big_endian(value); }
std::string encode_boolean(bool value) { return std::string(1, value ? '\1' : '\0'); }
std::string encode_double(double value) {
  return encode_big_endian(std::bit_cast<std::int64_t>(value));
}
std::string encode_float(float value) {
  return encode_big_endian(std::bit_cast<std::int32_t>(value));
}
std::string encode_timestamp(std::int64_t millis_since_epoch) {
  return encode_big_endian(millis_since_epoch);
}
std::string encode_date(std::int32_t days_since_epoch) {
  return encode_big_endian(static_cast<std::uint32_t>(days_since_epoch) + 0x80000000u);
}

bool parse_uuid(std::string_view text, char (&bytes)[16]) {
  if (text.size() != 36) return false;
  std::size_t filled = 0;
  int high = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
      continue;
    }
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return false;
    }
    if (high < 0) {
      high = digit;
    } else {
      bytes[filled++] = static_cast<char>(high * 16 + digit);
      high = -1;
    }
  }
  return true;
}

Result<std::string> encode_uuid(std::string_view text) {
  char bytes[16];
  if (!parse_uuid(text, bytes)) {
    return invalid_argument("Unable to make UUID from '" + std::string(text) + "'");
  }
  return std::string(bytes, sizeof bytes);
}

Result<std::string> encode_inet(std::string_view text) {
  std::string address(text);
  std::string bytes(16, '\0');
  if (inet_pton(AF_INET, address.c_str(), bytes.data()) == 1) return bytes.substr(0, 4);
  if (inet_pton(AF_INET6, address.c_str(), bytes.data()) == 1) return bytes;
  return invalid_argument("Unable to make inet address from '" + address + "'");
}

std::string encode_collection(const std::vector<std::string>& elements, bool is_map) {
  std::string bytes =
      encode_int(static_cast<std::int32_t>(is_map ? elements.size() / 2 : elements.size()));
  for (const auto& element : elements) {
    bytes += encode_int(static_cast<std::int32_t>(element.size()));
    bytes += element;
  }
  return bytes;
}

std::optional<std::vector<std::string_view>> decode_collection(std::string_view bytes,
                                                               bool is_map) {
  return split_collection(bytes, is_map);
}

std::int32_t decode_int(std::string_view bytes) { return decode_big_endian<std::int32_t>(bytes); }
std::int64_t decode_bigint(std::string_view bytes) {
  return decode_big_endian<std::int64_t>(bytes);
}

std::string format_uuid(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    auto byte = static_cast<unsigned char>(bytes[i]);
    text.push_back(kHex[byte >> 4]);
    text.push_back(kHex[byte & 0x0f]);
  }
  return text;
}

Status validate(const DataType& type, std::string_view bytes) {
  // Messages are built only for invalid values: validation runs for every
  // bound value written.
  auto size = [&] { return std::to_string(bytes.size()); };
  auto fixed = [&](std::size_t length, bool empty_ok, const char* message) -> Status {
    if (bytes.size() == length || (empty_ok && bytes.empty())) return Status::ok();
    return invalid_argument(message + size() + ")");
  };
  switch (type.kind) {
    case TypeKind::kInt:
      return fixed(4, true, "Expected 4 or 0 byte int (");
    case TypeKind::kBigint:
    case TypeKind::kCounter:
      return fixed(8, true, "Expected 8 or 0 byte long (");
    case TypeKind::kSmallint:
      return fixed(2, true, "Expected 2 bytes for a smallint (");
    case TypeKind::kTinyint:
      return fixed(1, true, "Expected 1 byte for a tinyint (");
    case TypeKind::kBoolean:
      return fixed(1, true, "Expected 1 or 0 byte value (");
    case TypeKind::kDouble:
      return fixed(8, true, "Expected 8 or 0 byte value for a double (");
    case TypeKind::kFloat:
      return fixed(4, true, "Expected 4 or 0 byte value for a float (");
    case TypeKind::kTimestamp:
      return fixed(8, true, "Expected 8 or 0 byte long for date (");
    case TypeKind::kDate:
      return fixed(4, true, "Expected 4 byte long for date (");
    case TypeKind::kTime:
      if (bytes.empty()) return Status::ok();
      if (bytes.size() != 8)
        return invalid_argument("Expected 8 byte long for time (" + size() + ")");
      if (decode_bigint(bytes) < 0 || decode_bigint(bytes) >= 86400000000000LL) {
        return invalid_argument("Time value must be between 0 and 86399999999999 nanoseconds");
      }
      return Status::ok();
    case TypeKind::kUuid:
      return fixed(16, true, "UUID should be 16 or 0 bytes (");
    case TypeKind::kTimeuuid:
      if (bytes.empty()) return Status::ok();
      if (bytes.size() != 16)
        return invalid_argument("UUID should be 16 or 0 bytes (" + size() + ")");
      if (uuid_version(bytes) != 1)
        return invalid_argument("Unsupported UUID version (" + std::to_string(uuid_version(bytes)) +
                                ") for timeuuid");
      return Status::ok();
    case TypeKind::kInet:
      if (bytes.empty() || bytes.size() == 4 || bytes.size() == 16) return Status::ok();
      return invalid_argument("Expected 4 or 16 byte inetaddress; got " + size() + " bytes");
    case TypeKind::kDecimal:
      if (bytes.empty() || bytes.size() >= 5) return Status::ok();
      return invalid_argument("Expected at least 5 bytes for a decimal (" + size() + ")");
    case TypeKind::kVarint:
    case TypeKind::kBlob:
    case TypeKind::kCustom:
      return Status::ok();
    case TypeKind::kAscii:
      for (unsigned char c : bytes) {
        if (c > 127) return invalid_argument("Invalid byte for ascii: " + std::to_string(c));
      }
      return Status::ok();
    case TypeKind::kVarchar:
      if (!is_valid_utf8(bytes)) return invalid_argument("Invalid UTF-8 bytes");
      return Status::ok();
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap: {
      bool is_map = type.kind == TypeKind::kMap;
      auto elements = split_collection(bytes, is_map);
      if (!elements) {
        return invalid_argument("Not enough bytes to read a " + type.cql_name());
      }
      for (std::size_t i = 0; i < elements->size(); ++i) {
        const DataType& element_type = type.parameters.at(is_map ? i % 2 : 0);
        if (auto status = validate(element_type, (*elements)[i]); !status.is_ok()) return status;
      }
      return Status::ok();
    }
    case TypeKind::kUdt:
    case TypeKind::kTuple:
      return Status::ok();
  }
  return Status::ok();
}

int compare(const DataType& type, std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return three_way(!a.empty(), !b.empty());
  switch (type.kind) {
    case TypeKind::kInt:
      return three_way(decode_int(a), decode_int(b));
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
      return three_way(decode_bigint(a), decode_bigint(b));
    case TypeKind::kSmallint:
      return three_way(decode_big_endian<std::int16_t>(a), decode_big_endian<std::int16_t>(b));
    case TypeKind::kTinyint:
      return three_way(static_cast<std::int8_t>(a[0]), static_cast<std::int8_t>(b[0]));
    case TypeKind::kDouble:
      return three_way(std::bit_cast<double>(decode_bigint(a)),
                       std::bit_cast<double>(decode_bigint(b)));
    case TypeKind::kFloat:
      return three_way(std::bit_cast<float>(decode_int(a)), std::bit_cast<float>(decode_int(b)));
    case TypeKind::kVarint:
      return compare_varint(a, b);
    case TypeKind::kDecimal:
      return compare_decimal(a, b);
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid: {
      if (type.kind == TypeKind::kUuid && uuid_version(a) != uuid_version(b)) {
        return three_way(uuid_version(a), uuid_version(b));
      }
      if (uuid_version(a) == 1 && uuid_version(b) == 1) {
        if (int c = three_way(uuid_timestamp(a), uuid_timestamp(b)); c != 0) return c;
      }
      return compare_bytes(a, b);
    }
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap: {
      bool is_map = type.kind == TypeKind::kMap;
      auto left = split_collection(a, is_map);
      auto right = split_collection(b, is_map);
      if (!left || !right) return compare_bytes(a, b);
      for (std::size_t i = 0; i < left->size() && i < right->size(); ++i) {
        const DataType& element_type = type.parameters.at(is_map ? i % 2 : 0);
        if (int c = compare(element_type, (*left)[i], (*right)[i]); c != 0) return c;
      }
      return three_way(left->size(), right->size());
    }
    default:
      return compare_bytes(a, b);
  }
}

std::string format(const DataType& type, std::string_view bytes) {
  if (bytes.empty() && type.kind != TypeKind::kVarchar && type.kind != TypeKind::kAscii &&
      type.kind != TypeKind::kBlob) {
    return "";
  }
  switch (type.kind) {
    case TypeKind::kAscii:
    case TypeKind::kVarchar:
      return std::string(bytes);
    case TypeKind::kInt:
      return std::to_string(decode_int(bytes));
    case TypeKind::kBigint:
    case TypeKind::kCounter:
      return std::to_string(decode_bigint(bytes));
    case TypeKind::kSmallint:
      return std::to_string(decode_big_endian<std::int16_t>(bytes));
    case TypeKind::kTinyint:
      return std::to_string(static_cast<std::int8_t>(bytes[0]));
    case TypeKind::kBoolean:
      return bytes[0] != 0 ? "True" : "False";
    case TypeKind::kDouble:
      return shortest(std::bit_cast<double>(decode_bigint(bytes)));
    case TypeKind::kFloat:
      return shortest(std::bit_cast<float>(decode_int(bytes)));
    case TypeKind::kVarint:
      return format_varint(bytes);
    case TypeKind::kDecimal:
      return format_decimal(bytes);
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid:
      return format_uuid(bytes);
    case TypeKind::kBlob:
    case TypeKind::kCustom: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string text = "0x";
      for (unsigned char c : bytes) {
        text.push_back(kHex[c >> 4]);
        text.push_back(kHex[c & 0x0f]);
      }
      return text;
    }
    case TypeKind::kTimestamp: {
      std::int64_t millis = decode_bigint(bytes);
      std::int64_t days = millis >= 0 ? millis / 86400000 : -((-millis + 86399999) / 86400000);
      std::int64_t in_day = millis - days * 86400000;
      auto date = civil_from_days(days);
      auto ms = static_cast<unsigned>(in_day % 1000);
      auto seconds = static_cast<unsigned>(in_day / 1000);
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u %02u:%02u:%02u.%03u000+0000",
                    static_cast<long long>(date.year), date.month, date.day, seconds / 3600,
                    seconds / 60 % 60, seconds % 60, ms);
      return buffer;
    }
    case TypeKind::kDate: {
      std::int64_t days =
          static_cast<std::int64_t>(decode_big_endian<std::uint32_t>(bytes)) - 0x80000000LL;
      auto date = civil_from_days(days);
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(date.year),
                    date.month, date.day);
      return buffer;
    }
    case TypeKind::kTime: {
      std::int64_t nanos = decode_bigint(bytes);
      std::int64_t seconds = nanos / 1000000000;
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%s:%s:%s.%09lld",
                    two_digits(static_cast<unsigned>(seconds / 3600)).c_str(),
                    two_digits(static_cast<unsigned>(seconds / 60 % 60)).c_str(),
                    two_digits(static_cast<unsigned>(seconds % 60)).c_str(),
                    static_cast<long long>(nanos % 1000000000));
      return buffer;
    }
    case TypeKind::kInet: {
      char buffer[INET6_ADDRSTRLEN] = {};
      if (bytes.size() == 4) {
        inet_ntop(AF_INET, bytes.data(), buffer, sizeof buffer);
      } else if (bytes.size() == 16) {
        inet_ntop(AF_INET6, bytes.data(), buffer, sizeof buffer);
      }
      return buffer;
    }
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap: {
      bool is_map = type.kind == TypeKind::kMap;
      auto elements = split_collection(bytes, is_map);
      if (!elements) return "";
      std::string text = type.kind == TypeKind::kList ? "[" : "{";
      for (std::size_t i = 0; i < elements->size(); ++i) {
        if (i > 0) text += is_map && i % 2 == 1 ? ": " : ", ";
        text += format_element(type.parameters.at(is_map ? i % 2 : 0), (*elements)[i]);
      }
      text += type.kind == TypeKind::kList ? "]" : "}";
      return text;
    }
    case TypeKind::kUdt:
    case TypeKind::kTuple:
      return "";
  }
  return "";
}

}  // namespace runnel::cql
