#include "cql/wire_writer.h"

#include <limits>

namespace runnel::cql {
namespace {

constexpr std::size_t kMaxShortLength = std::numeric_limits<std::uint16_t>::max();

template <typename T>
void append_big_endian(std::string& out, T v) {
  auto u = static_cast<std::make_unsigned_t<T>>(v);
  for (int shift = static_cast<int>(sizeof(T) * 8) - 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((u >> shift) & 0xff));
  }
}

// The longest prefix of `text` of at most `limit` bytes that does not end
// inside a UTF-8 multi-byte character.
std::string_view utf8_prefix(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<std::uint8_t>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

void WireWriter::write_short(std::uint16_t v) { append_big_endian(out_, v); }
void WireWriter::write_int(std::int32_t v) { append_big_endian(out_, v); }
void WireWriter::write_long(std::int64_t v) { append_big_endian(out_, v); }

void WireWriter::write_string(std::string_view v) {
  std::string_view text = utf8_prefix(v, kMaxShortLength);
  write_short(static_cast<std::uint16_t>(text.size()));
  out_.append(text);
}

void WireWriter::write_long_string(std::string_view v) {
  write_int(static_cast<std::int32_t>(v.size()));
  out_.append(v);
}

void WireWriter::write_string_list(const std::vector<std::string>& list) {
  write_short(static_cast<std::uint16_t>(list.size()));
  for (const auto& s : list) write_string(s);
}

void WireWriter::write_bytes(std::optional<std::string_view> v) {
  if (!v) {
    write_int(-1);
    return;
  }
  write_int(static_cast<std::int32_t>(v->size()));
  out_.append(*v);
}

void WireWriter::write_value(const WireValue& v) {
  switch (v.state) {
    case WireValue::State::kSet:
      write_bytes(std::string_view(v.bytes));
      return;
    case WireValue::State::kNull:
      write_int(-1);
      return;
    case WireValue::State::kUnset:
      write_int(-2);
      return;
  }
}

void WireWriter::write_short_bytes(std::string_view v) {
  write_short(static_cast<std::uint16_t>(v.size()));
  out_.append(v);
}

void WireWriter::write_option(const DataType& type) {
  write_short(static_cast<std::uint16_t>(type.kind));
  switch (type.kind) {
    case TypeKind::kCustom:
      write_string(type.custom_class);
      return;
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      for (const auto& parameter : type.parameters) write_option(parameter);
      return;
    case TypeKind::kTuple:
      write_short(static_cast<std::uint16_t>(type.parameters.size()));
      for (const auto& parameter : type.parameters) write_option(parameter);
      return;
    default:
      return;
  }
}

void WireWriter::write_inet(const Inet& inet) {
  write_byte(static_cast<std::uint8_t>(inet.address.size()));
  out_.append(inet.address);
  write_int(inet.port);
}

void WireWriter::write_string_map(const std::map<std::string, std::string>& map) {
  write_short(static_cast<std::uint16_t>(map.size()));
  for (const auto& [key, value] : map) {
    write_string(key);
    write_string(value);
  }
}

void WireWriter::write_string_multimap(const std::map<std::string, std::vector<std::string>>& map) {
  write_short(static_cast<std::uint16_t>(map.size()));
  for (const auto& [key, values] : map) {
    write_string(key);
    write_string_list(values);
  }
}

void WireWriter::write_bytes_map(const std::map<std::string, std::optional<std::string>>& map) {
  write_short(static_cast<std::uint16_t>(map.size()));
  for (const auto& [key, value] : map) {
    write_string(key);
    write_bytes(value ? std::optional<std::string_view>(*value) : std::nullopt);
  }
}

}  // namespace runnel::cql
