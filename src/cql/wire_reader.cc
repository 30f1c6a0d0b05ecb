#include "cql/wire_reader.h"

#include <cstdio>
#include <type_traits>

namespace runnel::cql {
namespace {

constexpr int kMaxOptionDepth = 16;

template <typename T>
T load_big_endian(const char* p) {
  std::make_unsigned_t<T> v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    v = static_cast<std::make_unsigned_t<T>>((v << 8) | static_cast<std::uint8_t>(p[i]));
  }
  return static_cast<T>(v);
}

std::string hex(std::uint16_t v) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04x", v);
  return text;
}

bool is_native_type(std::uint16_t id) {
  return (id >= static_cast<std::uint16_t>(TypeKind::kAscii) &&
          id <= static_cast<std::uint16_t>(TypeKind::kTinyint) && id != 0x000A);
}

}  // namespace

Status WireReader::status() const { return ok() ? Status::ok() : invalid_argument(error_); }

void WireReader::fail(std::string_view why) {
  if (failed_) return;
  failed_ = true;
  error_ = std::string(why) + " (at byte " + std::to_string(position_) + " of " +
           std::to_string(bytes_.size()) + ")";
  position_ = bytes_.size();
}

bool WireReader::take(std::size_t n) {
  if (failed_) return false;
  if (n > remaining()) {
    fail("truncated: needs " + std::to_string(n) + " bytes, " + std::to_string(remaining()) +
         " left");
    return false;
  }
  return true;
}

std::string_view WireReader::read_raw(std::size_t n) {
  if (!take(n)) return {};
  std::string_view raw = bytes_.substr(position_, n);
  position_ += n;
  return raw;
}

std::uint8_t WireReader::read_byte() {
  if (!take(1)) return 0;
  return static_cast<std::uint8_t>(bytes_[position_++]);
}

std::uint16_t WireReader::read_short() {
  if (!take(2)) return 0;
  auto v = load_big_endian<std::uint16_t>(bytes_.data() + position_);
  position_ += 2;
  return v;
}

std::int32_t WireReader::read_int() {
  if (!take(4)) return 0;
  auto v = load_big_endian<std::int32_t>(bytes_.data() + position_);
  position_ += 4;
  return v;
}

std::int64_t WireReader::read_long() {
  if (!take(8)) return 0;
  auto v = load_big_endian<std::int64_t>(bytes_.data() + position_);
  position_ += 8;
  return v;
}

std::string WireReader::read_string() { return std::string(read_raw(read_short())); }

std::string WireReader::read_long_string() {
  std::int32_t n = read_int();
  if (n < 0) {
    fail("negative [long string] length " + std::to_string(n));
    return {};
  }
  return std::string(read_raw(static_cast<std::size_t>(n)));
}

std::string WireReader::read_uuid() { return std::string(read_raw(16)); }

std::vector<std::string> WireReader::read_string_list() {
  std::uint16_t n = read_short();
  std::vector<std::string> list;
  for (std::uint16_t i = 0; i < n && ok(); ++i) list.push_back(read_string());
  return list;
}

std::optional<std::string> WireReader::read_bytes() {
  std::int32_t n = read_int();
  if (n < 0 || !ok()) return std::nullopt;
  return std::string(read_raw(static_cast<std::size_t>(n)));
}

WireValue WireReader::read_value() {
  std::int32_t n = read_int();
  if (!ok()) return {};
  if (n == -1) return {WireValue::State::kNull, {}};
  if (n == -2) return {WireValue::State::kUnset, {}};
  if (n < 0) {
    fail("invalid [value] length " + std::to_string(n));
    return {};
  }
  return {WireValue::State::kSet, std::string(read_raw(static_cast<std::size_t>(n)))};
}

std::string WireReader::read_short_bytes() { return std::string(read_raw(read_short())); }

DataType WireReader::read_option() { return read_option_at_depth(0); }

DataType WireReader::read_option_at_depth(int depth) {
  if (depth > kMaxOptionDepth) {
    fail("[option] nested deeper than " + std::to_string(kMaxOptionDepth));
    return {};
  }
  std::uint16_t id = read_short();
  if (!ok()) return {};
  auto kind = static_cast<TypeKind>(id);
  switch (kind) {
    case TypeKind::kCustom: {
      DataType type = DataType::of(TypeKind::kCustom);
      type.custom_class = read_string();
      return type;
    }
    case TypeKind::kList:
    case TypeKind::kSet:
      return DataType{kind, {read_option_at_depth(depth + 1)}, {}};
    case TypeKind::kMap: {
      DataType key = read_option_at_depth(depth + 1);
      DataType value = read_option_at_depth(depth + 1);
      return DataType{kind, {std::move(key), std::move(value)}, {}};
    }
    case TypeKind::kTuple: {
      DataType type = DataType::of(TypeKind::kTuple);
      std::uint16_t n = read_short();
      for (std::uint16_t i = 0; i < n && ok(); ++i) {
        type.parameters.push_back(read_option_at_depth(depth + 1));
      }
      return type;
    }
    case TypeKind::kUdt:
      fail("user-defined types are not supported");
      return {};
    default:
      break;
  }
  if (!is_native_type(id)) {
    fail("unknown [option] type id " + hex(id));
    return {};
  }
  return DataType::of(kind);
}

Inet WireReader::read_inet() {
  std::uint8_t size = read_byte();
  if (ok() && size != 4 && size != 16) {
    fail("[inet] address of " + std::to_string(size) + " bytes; expected 4 or 16");
    return {};
  }
  Inet inet;
  inet.address = std::string(read_raw(size));
  inet.port = read_int();
  return inet;
}

Consistency WireReader::read_consistency() {
  std::uint16_t v = read_short();
  if (ok() && v > static_cast<std::uint16_t>(Consistency::kLocalOne)) {
    fail("unknown consistency " + hex(v));
    return Consistency::kOne;
  }
  return static_cast<Consistency>(v);
}

std::map<std::string, std::string> WireReader::read_string_map() {
  std::uint16_t n = read_short();
  std::map<std::string, std::string> map;
  for (std::uint16_t i = 0; i < n && ok(); ++i) {
    std::string key = read_string();
    map[std::move(key)] = read_string();
  }
  return map;
}

std::map<std::string, std::vector<std::string>> WireReader::read_string_multimap() {
  std::uint16_t n = read_short();
  std::map<std::string, std::vector<std::string>> map;
  for (std::uint16_t i = 0; i < n && ok(); ++i) {
    std::string key = read_string();
    map[std::move(key)] = read_string_list();
  }
  return map;
}

std::map<std::string, std::optional<std::string>> WireReader::read_bytes_map() {
  std::uint16_t n = read_short();
  std::map<std::string, std::optional<std::string>> map;
  for (std::uint16_t i = 0; i < n && ok(); ++i) {
    std::string key = read_string();
    map[std::move(key)] = read_bytes();
  }
  return map;
}

}  // namespace runnel::cql
