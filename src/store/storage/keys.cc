#include "store/storage/keys.h"

#include <bit>
#include <cstdlib>

#include "cql/value.h"

namespace runnel::store::storage {
namespace {

using runnel::cql::TypeKind;

void append_big_endian(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(value >> (8 * i)));
}

std::uint64_t read_big_endian(std::string_view in, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | static_cast<unsigned char>(in[i]);
  return value;
}

// Fixed-size signed integers: the sign bit flipped, so two's complement
// orders as unsigned bytes.
std::optional<int> signed_width(TypeKind kind) {
  switch (kind) {
    case TypeKind::kInt:
      return 4;
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
      return 8;
    case TypeKind::kSmallint:
      return 2;
    case TypeKind::kTinyint:
      return 1;
    default:
      return std::nullopt;
  }
}

// IEEE floats: positives get the sign bit set, negatives are inverted.
std::uint64_t float_order_bits(std::uint64_t bits, int width) {
  std::uint64_t sign = std::uint64_t{1} << (width * 8 - 1);
  std::uint64_t mask = width == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (width * 8)) - 1;
  return (bits & sign) ? (~bits & mask) : (bits | sign);
}
std::uint64_t float_from_order_bits(std::uint64_t bits, int width) {
  std::uint64_t sign = std::uint64_t{1} << (width * 8 - 1);
  std::uint64_t mask = width == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (width * 8)) - 1;
  return (bits & sign) ? (bits & ~sign) : (~bits & mask);
}

// One value's ascending encoding. Empty values (allowed by CQL for most
// types) sort first: every encoding starts with 0x00 for empty and 0x01
// otherwise.
void append_ascending(std::string& out, const runnel::cql::DataType& type, std::string_view value) {
  if (value.empty()) {
    out.push_back('\x00');
    return;
  }
  out.push_back('\x01');
  if (auto width = signed_width(type.kind); width && static_cast<int>(value.size()) == *width) {
    std::uint64_t bits = read_big_endian(value, *width);
    bits ^= std::uint64_t{1} << (*width * 8 - 1);
    append_big_endian(out, bits, *width);
    return;
  }
  if ((type.kind == TypeKind::kDouble && value.size() == 8) ||
      (type.kind == TypeKind::kFloat && value.size() == 4)) {
    int width = static_cast<int>(value.size());
    append_big_endian(out, float_order_bits(read_big_endian(value, width), width), width);
    return;
  }
  if ((type.kind == TypeKind::kUuid || type.kind == TypeKind::kTimeuuid) && value.size() == 16) {
    // Version, the timestamp (version 1; else zeros), the raw bytes: the
    // order of cql::compare, in a fixed 25 bytes.
    int version = static_cast<unsigned char>(value[6]) >> 4;
    out.push_back(static_cast<char>(type.kind == TypeKind::kUuid ? version : 0));
    std::uint64_t timestamp = 0;
    if (version == 1) {
      auto b = [&](int i) {
        return static_cast<std::uint64_t>(static_cast<unsigned char>(value[i]));
      };
      timestamp = ((b(6) & 0x0f) << 56) | (b(7) << 48) | (b(4) << 40) | (b(5) << 32) |
                  (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
    }
    append_big_endian(out, timestamp, 8);
    out.append(value);
    return;
  }
  if (type.kind == TypeKind::kVarint || type.kind == TypeKind::kDecimal) {
    // An approximate numeric prefix keeps most orders right; the raw bytes
    // keep distinct values distinct.
    double approximate = std::strtod(runnel::cql::format(type, value).c_str(), nullptr);
    append_big_endian(out, float_order_bits(std::bit_cast<std::uint64_t>(approximate), 8), 8);
  }
  append_escaped(out, value);
}

std::optional<std::string> read_ascending(std::string_view& in, const runnel::cql::DataType& type) {
  if (in.empty()) return std::nullopt;
  char presence = in[0];
  in.remove_prefix(1);
  if (presence == '\x00') return std::string();
  if (auto width = signed_width(type.kind)) {
    if (in.size() < static_cast<std::size_t>(*width)) return std::nullopt;
    std::uint64_t bits = read_big_endian(in, *width) ^ (std::uint64_t{1} << (*width * 8 - 1));
    std::string value;
    append_big_endian(value, bits, *width);
    in.remove_prefix(static_cast<std::size_t>(*width));
    return value;
  }
  if (type.kind == TypeKind::kDouble || type.kind == TypeKind::kFloat) {
    int width = type.kind == TypeKind::kDouble ? 8 : 4;
    if (in.size() < static_cast<std::size_t>(width)) return std::nullopt;
    std::string value;
    append_big_endian(value, float_from_order_bits(read_big_endian(in, width), width), width);
    in.remove_prefix(static_cast<std::size_t>(width));
    return value;
  }
  if (type.kind == TypeKind::kUuid || type.kind == TypeKind::kTimeuuid) {
    if (in.size() < 25) return std::nullopt;
    std::string value(in.substr(9, 16));
    in.remove_prefix(25);
    return value;
  }
  if (type.kind == TypeKind::kVarint || type.kind == TypeKind::kDecimal) {
    if (in.size() < 8) return std::nullopt;
    in.remove_prefix(8);
  }
  return read_escaped(in);
}

}  // namespace

std::string serialize_partition_key(const std::vector<std::string>& components) {
  if (components.size() == 1) return components[0];
  std::string out;
  for (const auto& component : components) {
    append_big_endian(out, component.size(), 2);
    out.append(component);
    out.push_back('\0');
  }
  return out;
}

std::optional<std::vector<std::string>> split_partition_key(std::string_view serialized,
                                                            std::size_t count) {
  if (count == 1) return std::vector<std::string>{std::string(serialized)};
  std::vector<std::string> components;
  for (std::size_t i = 0; i < count; ++i) {
    if (serialized.size() < 2) return std::nullopt;
    auto length = read_big_endian(serialized, 2);
    if (serialized.size() < 3 + length) return std::nullopt;
    components.emplace_back(serialized.substr(2, length));
    serialized.remove_prefix(3 + length);
  }
  if (!serialized.empty()) return std::nullopt;
  return components;
}

std::string encode_token(std::int64_t token) {
  std::string out;
  append_big_endian(out, static_cast<std::uint64_t>(token) ^ (std::uint64_t{1} << 63), 8);
  return out;
}

std::int64_t decode_token(std::string_view bytes) {
  return static_cast<std::int64_t>(read_big_endian(bytes, 8) ^ (std::uint64_t{1} << 63));
}

std::string table_prefix(std::uint64_t table_id) {
  std::string out = "T";
  append_big_endian(out, table_id, 8);
  return out;
}

std::string partition_prefix(std::uint64_t table_id, std::int64_t token,
                             std::string_view serialized_partition_key) {
  std::string out = table_prefix(table_id);
  out += encode_token(token);
  append_escaped(out, serialized_partition_key);
  return out;
}

void append_escaped(std::string& out, std::string_view bytes) {
  for (char c : bytes) {
    out.push_back(c);
    if (c == '\x00') out.push_back('\xff');
  }
  out.push_back('\x00');
  out.push_back('\x01');
}

std::optional<std::string> read_escaped(std::string_view& in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\x00') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 1 >= in.size()) return std::nullopt;
    if (in[i + 1] == '\x01') {
      in.remove_prefix(i + 2);
      return out;
    }
    if (in[i + 1] != '\xff') return std::nullopt;
    out.push_back('\x00');
    ++i;
  }
  return std::nullopt;
}

void append_clustering_value(std::string& out, const ClusteringColumn& column,
                             std::string_view value) {
  std::size_t start = out.size();
  append_ascending(out, column.type, value);
  if (column.descending) {
    for (std::size_t i = start; i < out.size(); ++i) out[i] = static_cast<char>(~out[i]);
  }
}

std::optional<std::vector<std::string>> decode_clustering(
    std::string_view encoded, const std::vector<ClusteringColumn>& columns) {
  std::vector<std::string> values;
  std::string inverted;
  for (const auto& column : columns) {
    std::optional<std::string> value;
    if (column.descending) {
      // Invert what remains, decode one value, and continue after it.
      inverted.assign(encoded);
      for (auto& c : inverted) c = static_cast<char>(~c);
      std::string_view view = inverted;
      value = read_ascending(view, column.type);
      encoded.remove_prefix(encoded.size() - view.size());
    } else {
      value = read_ascending(encoded, column.type);
    }
    if (!value) return std::nullopt;
    values.push_back(std::move(*value));
  }
  if (!encoded.empty()) return std::nullopt;
  return values;
}

std::optional<DecodedKey> decode_key(std::string_view key) {
  if (key.size() < 17) return std::nullopt;
  DecodedKey decoded;
  decoded.token = decode_token(key.substr(9, 8));
  std::string_view rest = key.substr(17);
  auto partition_key = read_escaped(rest);
  if (!partition_key || rest.empty()) return std::nullopt;
  decoded.partition_key = std::move(*partition_key);
  decoded.is_row = rest[0] == kRow;
  decoded.clustering = rest.substr(1);
  return decoded;
}

std::string prefix_successor(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

}  // namespace runnel::store::storage
